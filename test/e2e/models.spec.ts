import { expect, test, type Page } from '@playwright/test'
import { useHostedApp } from './helpers/hosted-app'

/** The demo plant keeps a quarter of an hour of history from its start: enough to learn from. */
const MODEL_NAME = 'E2E pump model'
const SCREENSHOTS = 'test-results/e2e'

useHostedApp()

async function openModels(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Models' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible()
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue(/\d+/)
}

/** A number as shown (grouping separators aside); NaN while a dash is shown. */
async function readNumber(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? ''
  return Number(text.replace(/[^\d.-]/g, '') || NaN)
}

test('a value the host refuses is marked beside its field', async ({ page }) => {
  await openModels(page)
  // Four heads cannot share a 30-wide model.
  await page.getByLabel('Model width (dModel)').fill('30')
  await page.getByRole('button', { name: 'Start training' }).click()
  await expect(page.getByTestId('error-spec.heads')).toContainText('multiple of the heads')
  await expect(page.getByLabel('Heads')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('model-form-error')).toContainText('Correct the fields')

  // Text where a number belongs never reaches the host.
  await page.getByLabel('Model width (dModel)').fill('32')
  await page.getByLabel('Learning rate').fill('fast')
  await page.getByRole('button', { name: 'Start training' }).click()
  await expect(page.getByTestId('error-options.learningRate')).toHaveText('Enter a number.')
  await expect(page.getByTestId('error-spec.heads')).toHaveCount(0)
  await expect(page.getByTestId('training-progress')).toHaveCount(0)
})

test('trains a model on recent data, then activates it', async ({ page }) => {
  test.setTimeout(180_000)
  await openModels(page)
  await page.getByLabel('Name').fill(MODEL_NAME)
  await page.getByRole('button', { name: 'Last 1 h' }).click()
  await page.getByLabel('Epochs', { exact: true }).fill('2')
  await page.getByLabel('Window size').fill('16')
  await page.getByLabel('Activate when done').uncheck()
  await page.getByRole('button', { name: 'Start training' }).click()

  const progress = page.getByTestId('training-progress')
  await expect(progress).toContainText(MODEL_NAME)
  await expect(progress.getByRole('progressbar')).toBeVisible()
  await expect(page.getByTestId('training-state')).toHaveText('Done', { timeout: 120_000 })
  await expect(page.getByTestId('training-epoch')).toHaveText(/^[12] \/ 2$/)
  expect(await readNumber(page, 'training-loss')).toBeGreaterThan(0)
  await expect(page.getByTestId('loss-curve').locator('path')).not.toHaveCount(0)

  const row = page.locator('[data-testid^="model-row-"]', { hasText: MODEL_NAME })
  await expect(row).toBeVisible()
  await expect(row).toContainText('8 sensors')
  await expect(row).toContainText('Multi-head')
  await expect(row.getByTestId('model-active')).toHaveCount(0)
  await page.screenshot({ path: `${SCREENSHOTS}/models-trained.png`, fullPage: true })

  await row.getByRole('button', { name: 'Activate' }).click()
  // The first activation starts the scoring worker (TensorFlow.js loads in it): seconds on a busy PC.
  await expect(row.getByTestId('model-active')).toHaveText('Active', { timeout: 30_000 })
  await expect(row.getByRole('button', { name: 'Deactivate' })).toBeVisible()

  // The detection settings open beside the model and save.
  await row.getByRole('button', { name: 'Detection…' }).click()
  const editor = row.getByTestId('detection-editor')
  await editor.getByLabel('Smoothing').fill('4')
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor.getByRole('status')).toContainText('Saved at')

  // The adapted score is on by default; its window is checked by the host and can be changed.
  const adaptive = editor.getByTestId('detection-adaptive')
  await expect(adaptive).toBeChecked()
  const window = editor.getByLabel('Baseline window')
  await expect(window).toHaveValue('10')
  await window.fill('0')
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor.getByTestId('error-detection.baselineMinutes')).toContainText('at least 1')
  await window.fill('15')
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor.getByTestId('error-detection.baselineMinutes')).toHaveCount(0)
  await expect(editor.getByRole('status')).toContainText('Saved at')
  // Switched off, its fields are greyed out; switched back on before the live test.
  await adaptive.uncheck()
  await expect(window).toBeDisabled()
  await adaptive.check()
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor.getByRole('status')).toContainText('Saved at')
  await page.screenshot({ path: `${SCREENSHOTS}/models-detection.png`, fullPage: true })
  await editor.getByRole('button', { name: 'Close' }).click()
  await row.getByRole('button', { name: 'Detection…' }).click()
  await expect(row.getByTestId('detection-editor').getByLabel('Baseline window')).toHaveValue('15')
})

test('the live trend shows the anomaly score, and the valve fault raises it', async ({ page }) => {
  test.setTimeout(150_000)
  const panel = page.getByTestId('score-panel')
  await expect(panel.getByRole('heading', { name: 'Anomaly score' })).toBeVisible()
  await expect(panel).toContainText(MODEL_NAME)
  await expect(page.getByTestId('score-chart')).toBeVisible()
  await expect(page.getByTestId('score-threshold')).toHaveText(/^Threshold [\d.,]+$/)
  const threshold = await readNumber(page, 'score-threshold')
  expect(threshold).toBeGreaterThan(0)
  await expect.poll(() => readNumber(page, 'score-value'), { timeout: 30_000 }).toBeGreaterThan(0)
  // The raw score is shown beside the adapted one, which never exceeds it.
  await expect(page.getByTestId('score-raw')).toHaveText(/^raw [\d.,]+$/)
  // Both read in one go: the next batch may change them between two reads.
  const [value, raw] = await page.evaluate<number[]>(
    `['score-value', 'score-raw'].map((id) =>
      Number(document.querySelector('[data-testid="' + id + '"]').textContent.replace(/[^\\d.-]/g, '')))`,
  )
  expect(raw).toBeGreaterThanOrEqual(value! * 0.99)
  await expect(page.getByTestId('top-contributors').getByRole('listitem')).not.toHaveCount(0)
  // Every modelled sensor's chart carries the model's expected value.
  await expect(page.locator('[data-testid^="expected-"]')).toHaveCount(8)

  const demo = page.getByRole('region', { name: 'Demo plant' })
  await demo.getByRole('button', { name: 'Valve closing' }).click()
  await expect(demo.getByTestId('demo-fault')).toContainText('Valve closing')
  await expect
    .poll(() => page.getByTestId('score-state').textContent(), {
      message: 'the smoothed score goes above the threshold for long enough to count',
      timeout: 90_000,
      intervals: [1_000],
    })
    .toContain('ANOMALY')
  expect(await readNumber(page, 'score-value')).toBeGreaterThan(threshold)
  await expect(page.getByTestId('top-contributors').getByRole('listitem').first()).toBeVisible()
  await page.screenshot({ path: `${SCREENSHOTS}/models-live-anomaly.png`, fullPage: true })

  await panel.getByRole('button', { name: 'Explain' }).click()
  const dialog = page.getByTestId('explain-dialog')
  await expect(dialog.getByTestId('attention-map')).toBeVisible({ timeout: 30_000 })
  await expect(dialog.locator('[data-testid^="contributor-"]')).not.toHaveCount(0)
  await page.screenshot({ path: `${SCREENSHOTS}/models-explain.png` })
  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toHaveCount(0)

  await demo.getByRole('button', { name: 'Back to normal' }).click()
  await expect(demo.getByTestId('demo-fault')).toContainText('None')
})
