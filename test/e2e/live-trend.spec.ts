import { expect, test, type Locator, type Page } from '@playwright/test'
import { useHostedApp } from './helpers/hosted-app'

/** The demo plant of `resources/demo-plant.json`. */
const SENSOR_COUNT = 8
const FLOW_ID = 'pump.flow'
const SCREENSHOT = 'test-results/e2e/live-trend.png'

useHostedApp()

const values = (page: Page): Locator => page.locator('[data-testid^="value-"]')

/** The number shown for a sensor, without grouping separators; NaN while there is none. */
async function readValue(page: Page, sensorId: string): Promise<number> {
  const text = await page.getByTestId(`value-${sensorId}`).textContent()
  return Number((text ?? '').replace(/[^\d.-]/g, '') || NaN)
}

test('shows the shell and every sensor with a live value', async ({ page }) => {
  await expect(page.getByRole('banner')).toContainText('Vigil')
  await expect(page.getByTestId('connection-state')).toHaveText('Connected')
  const nav = page.getByRole('navigation', { name: 'Main navigation' })
  await expect(nav.getByRole('link', { name: 'Live trend' })).toBeVisible()
  for (const later of ['Reports']) {
    await expect(nav.getByRole('link', { name: later })).toHaveAttribute('aria-disabled', 'true')
  }
  await expect(nav.getByRole('link', { name: 'Sources' })).toHaveAttribute('href', '#/sources')
  await expect(nav.getByRole('link', { name: 'Models' })).toHaveAttribute('href', '#/models')
  await expect(nav.getByRole('link', { name: 'Alarms' })).toHaveAttribute('href', '#/alarms')
  await expect(page.getByRole('heading', { level: 1, name: 'Live trend' })).toBeVisible()
  await expect(page.getByRole('button', { name: '15 min' })).toHaveAttribute('aria-pressed', 'true')

  await expect(page.locator('[data-testid^="trend-"]')).toHaveCount(SENSOR_COUNT)
  await expect(values(page)).toHaveCount(SENSOR_COUNT)
  for (const value of await values(page).all()) {
    await expect(value).toHaveText(/^-?[\d,]+(\.\d+)?$/)
  }
  await expect(page.getByTestId(`trend-${FLOW_ID}`)).toContainText('m³/h')

  const before = await values(page).allTextContents()
  await expect
    .poll(async () => (await values(page).allTextContents()).some((t, i) => t !== before[i]), {
      message: 'at least one value changes on screen',
      timeout: 10_000,
    })
    .toBe(true)
})

test('switches the language to Chinese and remembers it', async ({ page }) => {
  const nav = page.getByRole('navigation')
  await expect(nav.getByRole('link', { name: 'Live trend' })).toBeVisible()
  await page.getByRole('button', { name: '中文' }).click()
  await expect(nav.getByRole('link', { name: '实时趋势' })).toBeVisible()
  await expect(nav.getByRole('link', { name: '报警' })).toBeVisible()
  await expect(page.getByRole('heading', { level: 1, name: '实时趋势' })).toBeVisible()
  await expect(page.getByRole('heading', { name: '流量' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')

  await page.reload()
  await expect(nav.getByRole('link', { name: '实时趋势' })).toBeVisible()
  await page.getByRole('button', { name: 'English' }).click()
  await expect(nav.getByRole('link', { name: 'Live trend' })).toBeVisible()
})

test('a closing valve in the demo plant makes the flow fall', async ({ page }) => {
  const demo = page.getByRole('region', { name: 'Demo plant' })
  await expect(demo.getByTestId('demo-fault')).toContainText('None')
  await expect(values(page)).toHaveCount(SENSOR_COUNT)
  // A short range makes the fall easy to see in the screenshot; it also reloads the history.
  const fiveMinutes = page.getByRole('button', { name: '5 min', exact: true })
  await fiveMinutes.click()
  await expect(fiveMinutes).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(() => readValue(page, FLOW_ID)).toBeGreaterThan(0)

  // The flow is noisy (about 1 %), so the baseline is an average of a few seconds.
  const baseline: number[] = []
  for (let i = 0; i < 4; i++) {
    baseline.push(await readValue(page, FLOW_ID))
    await page.waitForTimeout(750)
  }
  const before = baseline.reduce((a, b) => a + b, 0) / baseline.length

  await demo.getByRole('button', { name: 'Valve closing' }).click()
  await expect(demo.getByTestId('demo-fault')).toContainText('Valve closing')
  await expect(demo.getByRole('button', { name: 'Valve closing' })).toHaveAttribute(
    'aria-pressed',
    'true',
  )

  // The valve closes over about a minute; a tenth less flow takes some 15 s of it.
  await expect
    .poll(() => readValue(page, FLOW_ID), {
      message: `flow falls clearly below ${before.toFixed(1)} m³/h`,
      timeout: 30_000,
      intervals: [1_000],
    })
    .toBeLessThan(before * 0.9)

  await page.screenshot({ path: SCREENSHOT, fullPage: true })

  await demo.getByRole('button', { name: 'Back to normal' }).click()
  await expect(demo.getByTestId('demo-fault')).toContainText('None')
})
