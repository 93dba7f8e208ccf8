import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startSocatPair, type SocatPair } from '../helpers/socat-pair'
import { useHostedApp } from './helpers/hosted-app'
import { startSerialFeed, type SerialFeed } from './helpers/serial-feed'

const host = useHostedApp()

let dir = ''
let pair: SocatPair | undefined
let feed: SerialFeed | undefined

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-pty-'))
  pair = await startSocatPair(dir)
  // Two slowly changing values, as a pressure logger on a cable would send them.
  feed = startSerialFeed(pair.b, (n) => {
    const p = (1.5 + 0.5 * Math.sin(n / 5)).toFixed(3)
    const q = (2.5 + 0.5 * Math.cos(n / 7)).toFixed(3)
    return `p=${p} q=${q}`
  })
})

test.afterAll(async () => {
  await feed?.stop()
  await pair?.kill()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function openSources(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Sources' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sources' })).toBeVisible()
}

const editor = (page: Page) => page.getByRole('region', { name: 'Add a source' })
const cell = (page: Page, n: number, field: string) =>
  page.getByRole('textbox', { name: `Channel ${n} ${field}`, exact: true })

async function fillSerialSource(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add source' }).click()
  const form = editor(page)
  await form.getByLabel('Name', { exact: true }).fill(name)
  await form.getByLabel('Port', { exact: true }).fill(pair?.a ?? '')
  await form.getByLabel('Baud rate').fill('9600')
  await form.getByRole('button', { name: 'key=value' }).click()
  await cell(page, 1, 'Key').fill('p')
  await cell(page, 1, 'Sensor id').fill('bench.p')
  await cell(page, 1, 'Name').fill('Bench pressure')
  await cell(page, 1, 'Unit').fill('bar')
  await form.getByRole('button', { name: 'Add channel' }).click()
  await cell(page, 2, 'Key').fill('q')
  await cell(page, 2, 'Sensor id').fill('bench.q')
  await cell(page, 2, 'Name').fill('Bench flow')
  await cell(page, 2, 'Unit').fill('m³/h')
}

test('refuses a channel without an id and says so beside the field', async ({ page }) => {
  await openSources(page)
  await fillSerialSource(page, 'Unsaved logger')
  await expect(editor(page).getByLabel('Id', { exact: true })).toHaveValue('unsaved-logger')
  await cell(page, 1, 'Sensor id').fill('')
  await page.getByRole('button', { name: 'Save' }).click()
  const error = page.getByTestId('error-channels.0.id')
  await expect(error).toBeVisible()
  await expect(cell(page, 1, 'Sensor id')).toHaveAttribute('aria-invalid', 'true')
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: 'test-results/e2e/sources-invalid.png', fullPage: true })
})

test('adds a serial key=value source, tests it, saves it, and its sensors trend live', async ({
  page,
}) => {
  test.setTimeout(90_000)
  await openSources(page)
  await fillSerialSource(page, 'Bench logger')

  await page.getByRole('button', { name: 'Test connection' }).click()
  const result = page.getByTestId('source-test')
  await expect(result).toContainText(/Read \d+ lines/, { timeout: 20_000 })
  const line = page.getByTestId('source-test-line').filter({ hasText: 'bench.q' }).first()
  await expect(line).toContainText(/p=\d/)
  await expect(line).toContainText(/bench\.p = \d/)
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: 'test-results/e2e/sources-test.png', fullPage: true })

  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('source-saved')).toContainText(/Saved at \d\d:\d\d:\d\d/)
  const row = page.getByTestId('source-row-bench-logger')
  await expect(row).toContainText('Bench logger')
  await expect(row.getByTestId('source-state')).toHaveText('Running', { timeout: 15_000 })
  await expect(row.getByTestId('source-last-sample')).toHaveText(/\d\d:\d\d:\d\d/)
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: 'test-results/e2e/sources-list.png', fullPage: true })

  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Live trend' })
    .click()
  for (const id of ['bench.p', 'bench.q']) {
    await expect(page.getByTestId(`trend-${id}`)).toBeVisible({ timeout: 15_000 })
    const value = page.getByTestId(`value-${id}`)
    await expect(value).toHaveText(/\d/, { timeout: 15_000 })
    const first = await value.textContent()
    await expect(value).not.toHaveText(first ?? '', { timeout: 15_000 })
  }
})

test('imports a history file: the preview fills in the format and channels, the result is shown', async ({
  page,
}) => {
  // Files come from the data folder's imports/ (or the documents, or a folder an engineer allowed).
  const file = join(host().dataDir, 'imports', 'history.csv')
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000
  const rows = Array.from(
    { length: 300 },
    (_, i) => `${t0 + i * 1000};${(i % 50) / 10};${20 + (i % 7)}`,
  )
  writeFileSync(file, `time;level;temp\n${rows.join('\n')}\n${t0 + 301_000};oops;21\n`)

  await openSources(page)
  await page.getByRole('button', { name: 'Import history file…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import history file' })
  // The path field says where files may come from.
  await expect(dialog).toContainText(join(host().dataDir, 'imports'))
  await dialog.getByRole('textbox').first().fill(file)
  await dialog.getByRole('button', { name: 'Preview' }).click()
  await expect(dialog).toContainText('Looks like CSV, separated by Semicolon')
  await dialog.getByRole('button', { name: 'Import', exact: true }).click()
  const result = dialog.getByTestId('import-result')
  await expect(result).toContainText('Lines read')
  // 300 good rows of two values, plus the last row's good temperature; its level is refused.
  await expect(result).toContainText('601')
  await expect(result).toContainText(/not a number\s*1/)
})
