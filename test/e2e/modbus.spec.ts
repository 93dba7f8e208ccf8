import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { startPymodbusSlave, type PymodbusSlave } from '../helpers/pymodbus-slave'
import { startSocatPair, type SocatPair } from '../helpers/socat-pair'
import { useHostedApp } from './helpers/hosted-app'

useHostedApp()

let dir = ''
let pair: SocatPair | undefined
let slave: PymodbusSlave | undefined

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-modbus-'))
  pair = await startSocatPair(dir)
  // A meter with holes in its map (slave 3) and a drive with registers 0..12 (slave 4), served
  // by pymodbus; slave 9 is on nobody's bus.
  const drive: Record<number, number> = {}
  for (let a = 0; a < 13; a++) drive[a] = 1000 + a
  slave = await startPymodbusSlave({
    path: pair.b,
    slaves: { 3: { holding: { 0: 111, 1: 222, 10: 333, 11: 444 } }, 4: { holding: drive } },
  })
})

test.afterAll(async () => {
  await slave?.stop()
  await pair?.kill()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const nav = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('link', { name }).click()

async function fillRegister(
  page: Page,
  n: number,
  r: { slave: string; address: string; id: string; name: string },
): Promise<void> {
  const cell = (field: string) =>
    page.getByRole('textbox', { name: `Register ${n} ${field}`, exact: true })
  await cell('Slave').fill(r.slave)
  await cell('Address').fill(r.address)
  await cell('Sensor id').fill(r.id)
  await cell('Name').fill(r.name)
}

test('a Modbus line with holes, a missing register and a dead slave: what the engineer and the operator see', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await nav(page, 'Sources')
  await page.getByRole('button', { name: 'Add source' }).click()
  const form = page.getByRole('region', { name: 'Add a source' })
  await form.getByLabel('Name', { exact: true }).fill('Meter line')
  await form.getByRole('button', { name: 'Modbus RTU' }).click()
  await form.getByLabel('Port', { exact: true }).fill(pair?.a ?? '')
  await form.getByLabel('Baud rate').fill('19200')
  await form.getByLabel('Poll every').fill('500')
  await form.getByLabel('Time-out').fill('100')
  const registers = [
    { slave: '3', address: '1', id: 'meter.a', name: 'Meter A' },
    { slave: '3', address: '10', id: 'meter.b', name: 'Meter B' },
    { slave: '4', address: '12', id: 'drive.speed', name: 'Drive speed' },
    { slave: '4', address: '15', id: 'drive.missing', name: 'Drive torque' },
    { slave: '9', address: '0', id: 'ghost.level', name: 'Ghost level' },
  ]
  for (const [i, r] of registers.entries()) {
    if (i > 0) await form.getByRole('button', { name: 'Add register' }).click()
    await fillRegister(page, i + 1, r)
  }
  // The meter may be read through its gaps: Vigil learns where its holes are.
  const options = form.getByRole('group', { name: 'Requests per slave' })
  await expect(options.getByRole('rowheader')).toHaveText(['3', '4', '9'])
  await options.getByRole('textbox', { name: 'Slave 3 Read through gaps of up to' }).fill('8')
  await form.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('source-saved')).toContainText(/Saved at/)

  const row = page.getByTestId('source-row-meter-line')
  await expect(row.getByTestId('source-state')).toHaveText('Running', { timeout: 20_000 })
  await expect(row.getByTestId('source-silent-slaves')).toHaveText('slave 9 not answering', {
    timeout: 20_000,
  })
  await expect(row.getByTestId('source-slave-9').getByTestId('source-slave-state')).toContainText(
    /No answer since \d\d:\d\d:\d\d · next try \d\d:\d\d:\d\d/,
  )
  await expect(row.getByTestId('source-slave-3').getByTestId('source-slave-state')).toHaveText(
    'Answering',
  )
  await expect(row.getByTestId('config-error-drive.missing')).toHaveText(
    'drive.missing: slave 4 has no register 15 of Holding (03) (wire address 15); it answered exception 2, illegal data address.',
  )
  await expect(row.getByTestId('source-last-error')).toContainText('slave 9 not answering')
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: 'test-results/e2e/modbus-sources.png', fullPage: true })

  // The options come back as saved.
  await page.getByRole('button', { name: 'Edit Meter line' }).click()
  const edit = page.getByRole('region', { name: 'Edit Meter line' })
  await expect(
    edit.getByRole('textbox', { name: 'Slave 3 Read through gaps of up to' }),
  ).toHaveValue('8')
  await edit.getByRole('button', { name: 'Close' }).click()

  await nav(page, 'Live trend')
  await expect(page.getByTestId('value-meter.a')).toHaveText('222.00', { timeout: 20_000 })
  await expect(page.getByTestId('value-meter.b')).toHaveText('333.00')
  await expect(page.getByTestId('value-drive.speed')).toHaveText('1,012.00')
  await expect(page.getByTestId('no-answer-ghost.level')).toHaveText('NO ANSWER')
  await expect(page.getByTestId('no-answer-meter.a')).toHaveCount(0)

  // The same, in Chinese.
  await page.getByRole('button', { name: '中文' }).click()
  await expect(page.getByTestId('no-answer-ghost.level')).toHaveText('无应答')
  await nav(page, '数据源')
  const zhRow = page.getByTestId('source-row-meter-line')
  await expect(zhRow.getByTestId('source-silent-slaves')).toHaveText('从站 9 无应答')
  await expect(zhRow.getByTestId('source-slave-9').getByTestId('source-slave-state')).toContainText(
    /无应答 自 \d\d:\d\d:\d\d 起/,
  )
  await expect(zhRow.getByTestId('config-error-drive.missing')).toContainText(
    'drive.missing：从站 4 没有',
  )
  await expect(zhRow.getByTestId('source-config-errors')).toContainText('配置错误')
  await page.evaluate('window.scrollTo(0, 0)')
  await page.screenshot({ path: 'test-results/e2e/modbus-sources-zh.png', fullPage: true })
  await page.getByRole('button', { name: 'English' }).click()
})
