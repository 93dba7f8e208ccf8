import { expect, test, type Locator, type Page } from '@playwright/test'
import { useHostedApp } from './helpers/hosted-app'

/** The demo plant of `resources/demo-plant.json`. */
const SENSOR_COUNT = 8
const NUMBER = /^-?[\d,]+(\.\d+)?$/

useHostedApp()

const values = (page: Page): Locator => page.locator('[data-testid^="value-"]')
const charts = (page: Page, name: RegExp): Locator => page.getByRole('img', { name })

async function chooseRange(page: Page, label: string): Promise<void> {
  const button = page.getByRole('button', { name: label, exact: true })
  await button.click()
  await expect(button).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByText('Loading history…')).toHaveCount(0)
}

/** Drags across a chart's plot, between two fractions of its width. */
async function dragAcross(page: Page, chart: Locator, from: number, to: number): Promise<void> {
  const box = await chart.boundingBox()
  if (!box) throw new Error('the chart is not on screen')
  const y = box.y + box.height * 0.4
  await page.mouse.move(box.x + box.width * from, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * to, y, { steps: 10 })
  await page.mouse.up()
}

test('shows a year and a minute of every sensor', async ({ page }) => {
  await expect(values(page)).toHaveCount(SENSOR_COUNT)
  for (const [label, name] of [
    ['1 year', /over the last 1 year$/],
    ['1 min', /over the last 1 min$/],
  ] as const) {
    await chooseRange(page, label)
    await expect(charts(page, name)).toHaveCount(SENSOR_COUNT)
    for (const value of await values(page).all()) await expect(value).toHaveText(NUMBER)
    await expect(page.getByRole('alert')).toHaveCount(0)
  }
  await page.screenshot({ path: 'test-results/e2e/trends-1min.png' })
})

test('the cursor shows the value at the same moment on every chart', async ({ page }) => {
  await chooseRange(page, '1 min')
  const flow = charts(page, /^Flow rate over/)
  const box = await flow.boundingBox()
  if (!box) throw new Error('the chart is not on screen')
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4)
  // The readout of another sensor follows the cursor on the flow chart.
  await expect(page.getByTestId('hover-pump.current')).toHaveText(/^\d\d:\d\d:\d\d\s+[\d.]+ A$/)
})

test('drag to zoom every chart, pan, and go back to live', async ({ page }) => {
  await chooseRange(page, '1 min')
  await dragAcross(page, charts(page, /^Flow rate over/), 0.45, 0.8)

  const back = page.getByRole('button', { name: 'Back to live' })
  await expect(back).toBeVisible()
  const span = page.getByTestId('zoom-span')
  await expect(span).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d – \d\d:\d\d:\d\d$/)
  // Every chart shows the same span, not only the one dragged on.
  await expect(charts(page, / from \d{4}-\d\d-\d\d/)).toHaveCount(SENSOR_COUNT)
  const zoomed = await span.textContent()

  // Live samples keep coming, but a zoomed view stays where it was put.
  await page.waitForTimeout(2_500)
  await expect(span).toHaveText(zoomed ?? '')
  await expect(values(page).first()).toHaveText(NUMBER)

  await page.getByRole('button', { name: 'Earlier (half a window)' }).click()
  await expect(span).not.toHaveText(zoomed ?? '')
  await page.getByRole('button', { name: 'Later (half a window)' }).click()
  await expect(span).toHaveText(zoomed ?? '')
  await page.screenshot({ path: 'test-results/e2e/trends-zoomed.png' })

  await back.click()
  await expect(back).toBeHidden()
  await expect(charts(page, /over the last 1 min$/)).toHaveCount(SENSOR_COUNT)
})
