// Runs the built Electron main process (out/main/index.js) against the stand-in `electron`,
// drives it as a window would, and prints what happened as one JSON line.
// Usage: FAKE_USER_DATA=DIR node run.mjs MAIN_BUNDLE
import { existsSync } from 'node:fs'
import { register } from 'node:module'
import { pathToFileURL } from 'node:url'

register('./loader.mjs', import.meta.url)
const electron = await import('./fake-electron.mjs')
process.argv.push('--demo')
await import(pathToFileURL(process.argv[2]).href)

const win = await electron.firstWindow
const invoke = (channel, url, params) =>
  electron.handlers.get(channel)(
    { senderFrame: { url }, sender: { id: win.webContents.id } },
    params,
  )
const pageUrl = win.loaded?.file ? pathToFileURL(win.loaded.file).href : win.loaded?.url
const PASSWORD = 'correct horse battery'

// First run: nobody can do anything until the window creates the first engineer account (the
// person at the workstation needs no set-up token).
const signedOut = await invoke('vigil:getStatus', pageUrl, {})
const firstRun = await invoke('vigil:getSession', pageUrl, {})
const setUp = await invoke('vigil:setUpFirstAccount', pageUrl, { name: 'Eric', password: PASSWORD })
const status = await invoke('vigil:getStatus', pageUrl, {})
const bad = await invoke('vigil:querySeries', pageUrl, { sensorIds: [] })
const foreign = await invoke('vigil:getStatus', 'https://example.com/', {})
await new Promise((r) => setTimeout(r, 1500))

// An alarm through the desktop host: an engineer defines it, it fires (a system notification),
// an operator acknowledges it from the window.
const ALARM = 'limit.pump.flow.L'
const saved = await invoke('vigil:saveAlarmDefinition', pageUrl, {
  definition: {
    kind: 'limit',
    name: 'Flow low',
    priority: 'critical',
    sensorId: 'pump.flow',
    level: 'L',
    limit: 100,
  },
})
let alarmState = null
for (let i = 0; i < 100 && alarmState !== 'unacked'; i++) {
  await new Promise((r) => setTimeout(r, 100))
  const list = await invoke('vigil:listAlarms', pageUrl, {})
  alarmState = list.result?.alarms.find((a) => a.id === ALARM)?.state ?? null
}
// The shift changes at this workstation: the engineer adds an operator, who takes over.
await invoke('vigil:saveUser', pageUrl, { name: 'Olga', role: 'operator', password: PASSWORD })
const switched = await invoke('vigil:signIn', pageUrl, { name: 'Olga', password: PASSWORD })
const operatorMayNot = await invoke('vigil:deleteAlarmDefinition', pageUrl, { id: ALARM })
const ack = await invoke('vigil:acknowledgeAlarms', pageUrl, {
  ids: [ALARM],
  note: 'seen from the desktop',
})

let prevented = false
electron.app.emit('before-quit', { preventDefault: () => (prevented = true) })
await electron.quit
const prefs = win.options.webPreferences
process.stdout.write(
  JSON.stringify({
    channels: [...electron.handlers.keys()].sort(),
    signedOut,
    firstRun,
    setUp,
    switched,
    operatorMayNot,
    status,
    bad,
    foreign,
    sent: [...new Set(electron.sent)].sort(),
    webPreferences: {
      contextIsolation: prefs.contextIsolation,
      sandbox: prefs.sandbox,
      nodeIntegration: prefs.nodeIntegration,
    },
    preloadExists: existsSync(prefs.preload),
    rendererExists: existsSync(win.loaded?.file ?? ''),
    quitWaitedForClose: prevented,
    alarm: {
      saved: saved.ok,
      raised: alarmState,
      ack,
      notifications: electron.notifications,
    },
  }) + '\n',
)
process.exit(0)
