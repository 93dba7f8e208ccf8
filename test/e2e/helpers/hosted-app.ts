import { expect, test } from '@playwright/test'
import { ACCOUNTS, startHost, type E2eHost } from './host'
import { collectRendererErrors } from './renderer-errors'

/**
 * The set-up every UI spec shares: one `vigil serve --demo` with a fresh data folder and the
 * accounts of ACCOUNTS for the file, each test on the app at 1440x900 signed in as the engineer,
 * and any renderer console error failing the test. Returns a getter for the running host.
 */
export function useHostedApp(): () => E2eHost {
  let host: E2eHost | undefined
  let rendererErrors: string[] = []

  test.describe.configure({ mode: 'serial' })

  test.beforeAll(async () => {
    host = await startHost()
  })

  test.afterAll(async () => {
    await host?.stop()
  })

  test.beforeEach(async ({ page }) => {
    rendererErrors = collectRendererErrors(page)
    await page.setViewportSize({ width: 1440, height: 900 })
    await current().signIn(page, ACCOUNTS.engineer)
    await page.goto(current().url)
  })

  test.afterEach(() => {
    expect(rendererErrors, `renderer errors; host output:\n${current().output()}`).toEqual([])
  })

  function current(): E2eHost {
    if (!host) throw new Error('the host has not started')
    return host
  }
  return current
}
