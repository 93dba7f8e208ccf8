import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { ACCOUNTS, startHost, type E2eHost } from './helpers/host'
import { useHostedApp } from './helpers/hosted-app'

useHostedApp()

async function openStorage(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Storage' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Storage' })).toBeVisible()
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true })

test('shows the database file, its size and what each resolution holds', async ({ page }) => {
  await openStorage(page)
  await expect(page).toHaveURL(/#\/storage$/)
  await expect(page.getByTestId('storage-file')).toHaveText(/vigil\.db$/)
  await expect(page.getByTestId('storage-size')).toHaveText(/^[\d.,]+ (B|KB|MB|GB)$/)
  const levels = page.getByRole('region', { name: 'History kept' })
  for (const name of ['Raw samples', '1-minute', '1-hour']) {
    await expect(levels.getByRole('rowheader', { name: new RegExp(`^${name}`) })).toBeVisible()
  }
  await expect(page.getByTestId('storage-level-raw')).toContainText(/\d{4}-\d\d-\d\d/)
})

test('refuses 1-minute history shorter than raw, then saves settings that persist', async ({
  page,
}) => {
  await openStorage(page)
  const raw = field(page, 'Raw samples')
  const minute = field(page, '1-minute history')
  await expect(raw).toHaveValue(/^\d+$/)

  await raw.fill('60')
  await minute.fill('30')
  await page.getByRole('button', { name: 'Save' }).click()
  const error = page.getByTestId('error-minuteRetentionDays')
  await expect(error).toHaveText('Must be at least the days raw samples are kept.')
  await expect(minute).toHaveAttribute('aria-invalid', 'true')
  // The error is beside its field, not at the top of the page.
  await expect(page.getByTestId('field-minuteRetentionDays')).toContainText(
    'Must be at least the days raw samples are kept.',
  )

  await raw.fill('14')
  await minute.fill('90')
  await page.getByRole('checkbox', { name: 'Forever' }).uncheck()
  await field(page, '1-hour history').fill('400')
  await page.getByRole('checkbox', { name: 'No cap' }).uncheck()
  await field(page, 'Size cap').fill('512')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('settings-saved')).toContainText(/Saved at \d\d:\d\d:\d\d/)
  await expect(error).toBeHidden()
  await expect(page.getByTestId('storage-cap')).toContainText('of 512 MB')

  await page.reload()
  await expect(raw).toHaveValue('14')
  await expect(minute).toHaveValue('90')
  await expect(field(page, '1-hour history')).toHaveValue('400')
  await expect(page.getByRole('checkbox', { name: 'Forever' })).not.toBeChecked()
  await expect(field(page, 'Size cap')).toHaveValue('512')
  await expect(page.getByRole('checkbox', { name: 'No cap' })).not.toBeChecked()
})

test('backs the database up on request and checks the copy', async ({ page }) => {
  await openStorage(page)
  const button = page.getByRole('button', { name: 'Back up now' })
  await button.click()
  await expect(page.getByTestId('backup-state')).toHaveText('Backup finished.')
  await expect(page.getByTestId('backup-file')).toHaveText(/\.db$/)
  await expect(page.getByTestId('backup-integrity')).toHaveText('ok')
  await expect(page.getByTestId('backup-size')).toHaveText(/^[\d.,]+ (B|KB|MB|GB)$/)
  await expect(button).toBeEnabled()
  await page.screenshot({ path: 'test-results/e2e/storage.png', fullPage: true })
})

test.describe('a database damaged before start-up', () => {
  let damaged: E2eHost

  test.beforeAll(async () => {
    damaged = await startHost({
      prepare: (dir) => writeFileSync(join(dir, 'vigil.db'), 'this is not a database'.repeat(400)),
    })
  })

  test.afterAll(async () => {
    await damaged?.stop()
  })

  test('is announced on every page until dismissed', async ({ page }) => {
    await damaged.signIn(page, ACCOUNTS.engineer)
    await page.goto(damaged.url)
    const notice = page.getByRole('region', {
      name: 'The history database was damaged and has been replaced',
    })
    await expect(notice).toContainText(/vigil\.db\.corrupt-/)
    await openStorage(page)
    await expect(notice).toBeVisible()
    await notice.getByRole('button', { name: 'Dismiss this notice for this session' }).click()
    await expect(notice).toBeHidden()
    await page.reload()
    await expect(page.getByRole('heading', { level: 1, name: 'Storage' })).toBeVisible()
    await expect(notice).toBeHidden()
  })
})
