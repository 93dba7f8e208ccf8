import { app, BrowserWindow, ipcMain, Notification } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createDispatcher } from '../../src/contract'
import { createLogger } from '../../src/log/logger'
import { DEMO_HISTORY_MS } from '../../src/ingest/demo-plant/demo-config'
import { Monitor } from '../../src/monitor/monitor'
import { lockDataDir } from '../../src/platform/data-dir-lock'
import { AlarmNotifier } from './alarm-notifier'
import { forwardEvents, registerContractIpc } from './contract-ipc'
import { createMainWindow } from './main-window'
import { isTrustedSenderUrl } from './trusted-sender'

const here = dirname(fileURLToPath(import.meta.url))
const rendererHtml = join(here, '../renderer/index.html')
const rendererFileUrl = pathToFileURL(rendererHtml).href
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const demo = process.argv.includes('--demo')

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  void start()
}

async function start(): Promise<void> {
  await app.whenReady()
  const dataDir = app.getPath('userData')
  // The lock first: a start refused because `vigil serve` uses the folder touches nothing.
  const unlock = lockDataDir(dataDir)
  const logger = createLogger({ dataDir, console: true })
  const monitor = await Monitor.create({
    dataDir,
    host: 'electron',
    demo: demo ? { historyMs: DEMO_HISTORY_MS } : false,
    logger,
    unlock,
  })
  const dispatch = createDispatcher(monitor.methods, {
    onInternalError: (err) => logger.scope('ipc').error('call failed', err),
    signedOutReason: () => monitor.auth.signedOutReason(),
  })
  const allContents = () => BrowserWindow.getAllWindows().map((w) => w.webContents)
  const ipc = registerContractIpc(
    ipcMain,
    dispatch,
    (url) => isTrustedSenderUrl(url, rendererFileUrl, devServerUrl),
    monitor.auth.sessions,
    allContents,
  )
  // Events only reach windows someone is signed in to.
  forwardEvents(monitor, () => allContents().filter((wc) => ipc.isSignedIn(wc.id)))

  const paths = {
    icon: join(here, '../../resources/icon.png'),
    preload: join(here, '../preload/index.cjs'),
    rendererHtml,
    rendererFileUrl,
    devServerUrl,
  }
  // A closed window signs its user out: the next one starts at the sign-in page.
  const open = () => {
    const w = createMainWindow(paths)
    const id = w.webContents.id
    w.on('closed', () => ipc.forget(id))
    return w
  }
  let win = open()
  /** Brings the main window up (recreating it if it was closed) on the alarms page. */
  const showAlarms = (): void => {
    if (win.isDestroyed()) win = open()
    const target = win
    if (target.isMinimized()) target.restore()
    target.show()
    target.focus()
    const go = () =>
      void target.webContents.executeJavaScript("location.hash = '#/alarms'").catch(() => {})
    if (target.webContents.isLoading()) target.webContents.once('did-finish-load', go)
    else go()
  }
  // Shown notifications are kept referenced until closed: a collected one loses its click.
  const shown = new Set<Notification>()
  const notifier = new AlarmNotifier({
    notify: (title, body, onClick) => {
      if (!Notification.isSupported()) return
      const n = new Notification({ title, body, icon: paths.icon, urgency: 'critical' })
      shown.add(n)
      n.on('click', () => {
        shown.delete(n)
        onClick()
      })
      n.on('close', () => shown.delete(n))
      n.show()
    },
    onClick: showAlarms,
    sensor: (id) => monitor.historian.sensor(id),
  })
  const stopNotifying = monitor.on('alarms', (e) => notifier.onEvent(e))
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = open()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    // Write pending samples and close the database before the process ends.
    event.preventDefault()
    closing = true
    stopNotifying()
    notifier.dispose()
    void monitor
      .close()
      .finally(() => logger.close())
      .finally(() => app.quit())
  })
}
