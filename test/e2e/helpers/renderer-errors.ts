import type { Page } from '@playwright/test'

/**
 * Collects what the renderer reports as broken (console errors, uncaught exceptions), for a
 * test to fail on: a screen can look right while its code is throwing.
 */
export function collectRendererErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console error: ${msg.text()}`)
  })
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`))
  return errors
}
