import { expect, test, type Page } from '@playwright/test'
import { TEST_PASSWORD } from '../helpers/callers'
import { setupToken } from '../helpers/web-session'
import { startHost, type E2eHost } from './helpers/host'
import { collectRendererErrors } from './helpers/renderer-errors'

const SCREENSHOTS = 'test-results/e2e'
const ERIK = 'Erik'
const OLGA = 'Olga'

let host: E2eHost
let errors: string[] = []

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  // A fresh installation: no account at all.
  host = await startHost({ setUp: false })
})
test.afterAll(async () => {
  await host?.stop()
})
test.beforeEach(async ({ page }) => {
  errors = collectRendererErrors(page)
  await page.setViewportSize({ width: 1440, height: 900 })
})
test.afterEach(() => {
  // A refused password is answered 401, which the browser reports as a failed load: expected.
  const unexpected = errors.filter((e) => !/status of 401 \(Unauthorized\)/.test(e))
  expect(unexpected, `renderer errors; host output:\n${host.output()}`).toEqual([])
})

async function signInWithForm(page: Page, name: string, password = TEST_PASSWORD) {
  await page.getByTestId('signin-name').fill(name)
  await page.getByTestId('signin-password').fill(password)
  await page.getByTestId('signin-submit').click()
}

async function signOut(page: Page) {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('user-menu-signout').click()
  await expect(page.getByTestId('signin-form')).toBeVisible()
}

test('first run: the set-up link creates the first engineer, who adds an operator', async ({
  page,
}) => {
  // Without the link, nothing but the set-up: the API refuses every other call.
  await page.goto(host.url)
  await expect(page.getByTestId('setup-form')).toBeVisible()
  await expect(page.getByTestId('setup-token')).toBeVisible()
  const refused = await fetch(`${host.url}/api/call/listAlarms`, { method: 'POST', body: '{}' })
  expect(refused.status).toBe(401)

  await page.goto(`${host.url}/#/setup?token=${setupToken(host.output()) ?? ''}`)
  await expect(page.getByTestId('setup-token')).toHaveCount(0)
  await page.getByTestId('setup-name').fill(ERIK)
  await page.getByTestId('setup-password').fill('short')
  await expect(page.getByTestId('setup-error')).toContainText('at least 8 characters')
  await page.getByTestId('setup-password').fill(TEST_PASSWORD)
  await page.getByTestId('setup-repeat').fill(TEST_PASSWORD)
  await page.screenshot({ path: `${SCREENSHOTS}/first-run.png` })
  await page.getByTestId('setup-submit').click()
  const menu = page.getByTestId('user-menu')
  await expect(menu).toHaveAttribute('data-user', ERIK)
  await expect(menu).toHaveAttribute('data-role', 'engineer')
  // The one-time token has left the address bar.
  expect(page.url()).not.toContain('token=')

  await page.getByTestId('nav-users').click()
  await expect(page.getByTestId(`user-row-${ERIK}`)).toBeVisible()
  await page.getByTestId('user-new-name').fill(OLGA)
  await page.getByTestId('user-new-role').selectOption('operator')
  await page.getByTestId('user-new-password').fill(TEST_PASSWORD)
  await page.getByTestId('user-add').click()
  await expect(page.getByTestId(`user-role-${OLGA}`)).toHaveValue('operator')
  await page.screenshot({ path: `${SCREENSHOTS}/users.png`, fullPage: true })

  // A limit the demo pump is below at once (about 42 m³/h), for the operator to acknowledge.
  const erik = await host.as(ERIK)
  await erik.call('saveAlarmDefinition', {
    definition: {
      kind: 'limit',
      name: 'Flow below 100',
      priority: 'high',
      sensorId: 'pump.flow',
      level: 'L',
      limit: 100,
    },
  })
})

test('an operator signs in, acknowledges under her name, and cannot edit a source', async ({
  page,
}) => {
  await page.goto(host.url)
  await signInWithForm(page, OLGA, 'not her password')
  await expect(page.getByTestId('signin-error')).toContainText('Wrong user name or password')
  await signInWithForm(page, OLGA)
  await expect(page.getByTestId('user-menu')).toHaveAttribute('data-role', 'operator')
  await expect(page.getByTestId('nav-users')).toHaveCount(0)

  await page.goto(`${host.url}/#/alarms`)
  const row = page.getByTestId('alarm-row-limit.pump.flow.L')
  await expect(row).toHaveAttribute('data-state', 'unacked')
  // Engineer's work is not offered to her.
  await expect(page.getByTestId('out-of-service-limit.pump.flow.L')).toHaveCount(0)
  await page.getByTestId('ack-limit.pump.flow.L').click()
  await page.getByTestId('ack-note').fill('seen on the panel')
  await page.getByTestId('ack-confirm').click()
  await expect(row).toHaveAttribute('data-state', 'acked')
  await page.getByTestId('alarm-tabs').getByRole('button', { name: 'Journal' }).click()
  const ack = page.locator('[data-testid^="journal-row-"][data-cause="ack"]')
  await expect(ack).toHaveCount(1)
  await expect(ack).toContainText(OLGA)
  await expect(ack).toContainText('seen on the panel')

  await page.goto(`${host.url}/#/sources`)
  await expect(page.getByRole('heading', { level: 1, name: 'Sources' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Add source' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: /Edit/ })).toHaveCount(0)
  // Hiding the buttons is not the protection: the host refuses her too.
  const olga = await host.as(OLGA)
  const res = await olga.post('saveSource', {
    kind: 'file',
    id: 'f1',
    name: 'File',
    path: '/tmp/x.csv',
    mode: 'tail',
    format: { kind: 'csv', columns: [{ index: 0, sensorId: 'f.x' }] },
    channels: [{ id: 'f.x', name: 'x' }],
  })
  expect(res.status).toBe(403)
  await page.screenshot({ path: `${SCREENSHOTS}/operator-sources.png` })
  await signOut(page)
})

test('switch user: the next person signs in over the same screen, which stays', async ({
  page,
}) => {
  await page.goto(`${host.url}/#/alarms?tab=definitions`)
  await signInWithForm(page, OLGA)
  await expect(page.getByTestId('definitions-readonly')).toBeVisible()
  await page.getByTestId('user-menu').click()
  await page.getByTestId('user-menu-switch').click()
  await page.getByTestId('switch-name').fill(ERIK)
  await page.getByTestId('switch-password').fill(TEST_PASSWORD)
  await page.screenshot({ path: `${SCREENSHOTS}/switch-user.png` })
  await page.getByTestId('switch-confirm').click()
  const menu = page.getByTestId('user-menu')
  await expect(menu).toHaveAttribute('data-user', ERIK)
  await expect(menu).toHaveAttribute('data-role', 'engineer')
  // Same page, now with the engineer's controls.
  expect(page.url()).toContain('tab=definitions')
  await expect(page.getByTestId('definition-add')).toBeVisible()
  // The operator's session ended with the hand-over.
  const trail = await (
    await host.as(ERIK)
  ).call<{ entries: { user: string; note: string }[] }>('queryAuditTrail', {
    from: 0,
    to: Date.now() + 60_000,
    actions: ['sign-out'],
  })
  expect(trail.entries.some((e) => e.user === OLGA && e.note === `switched to ${ERIK}`)).toBe(true)

  // The audit trail is in the Alarms journal for engineers, with the sign-ins.
  await page.goto(`${host.url}/#/alarms?tab=journal&journal=audit`)
  await expect(page.getByTestId('audit-table')).toBeVisible()
  await expect(page.locator('[data-action="sign-in-failed"]').first()).toContainText(OLGA)
  await expect(page.locator('[data-action="alarm-definition-saved"]').first()).toContainText(ERIK)
  await page.screenshot({ path: `${SCREENSHOTS}/audit-trail.png`, fullPage: true })
})

test('idle sign-out: after the configured time without input, with a warning first', async ({
  page,
}) => {
  await (
    await host.as(ERIK)
  ).call('setSecuritySettings', {
    idleMinutes: 2,
    sessionHours: 12,
    extraFileFolders: [],
  })
  await page.clock.install()
  await page.goto(`${host.url}/#/live`)
  await signInWithForm(page, OLGA)
  await expect(page.getByTestId('user-menu')).toHaveAttribute('data-user', OLGA)
  // Input keeps the session: a minute, a key, another minute and a half.
  await page.clock.fastForward('01:00')
  await page.keyboard.press('Shift')
  await page.clock.fastForward('01:30')
  await expect(page.getByTestId('idle-notice')).toBeVisible()
  await expect(page.getByTestId('user-menu')).toBeVisible()
  await page.clock.fastForward('00:31')
  await expect(page.getByTestId('signin-reason')).toContainText('without activity')
  await page.screenshot({ path: `${SCREENSHOTS}/idle-signed-out.png` })
  // The host ended the session too: its cookie no longer works.
  const cookies = await page.context().cookies()
  const session = cookies.find((c) => c.name === 'vigil_session')?.value ?? ''
  const res = await fetch(`${host.url}/api/call/listAlarms`, {
    method: 'POST',
    body: '{}',
    headers: { authorization: `Bearer ${session}` },
  })
  expect(res.status).toBe(401)
})
