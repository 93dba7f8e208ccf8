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
  electron.handlers.get(channel)({ senderFrame: { url } }, params)
const pageUrl = win.loaded?.file ? pathToFileURL(win.loaded.file).href : win.loaded?.url
const status = await invoke('vigil:getStatus', pageUrl, {})
const bad = await invoke('vigil:querySeries', pageUrl, { sensorIds: [] })
const foreign = await invoke('vigil:getStatus', 'https://example.com/', {})
await new Promise((r) => setTimeout(r, 1500))

// An alarm through the desktop host: an engineer defines it, it fires (a system notification),
// an operator acknowledges it from the window.
const ALARM = 'limit.pump.flow.L'
const saved = await invoke('vigil:saveAlarmDefinition', pageUrl, {
  user: 'engineer',
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
const ack = await invoke('vigil:acknowledgeAlarms', pageUrl, {
  ids: [ALARM],
  user: 'operator',
  note: 'seen from the desktop',
})

let prevented = false
electron.app.emit('before-quit', { preventDefault: () => (prevented = true) })
await electron.quit
const prefs = win.options.webPreferences
process.stdout.write(
  JSON.stringify({
    channels: [...electron.handlers.keys()].sort(),
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
