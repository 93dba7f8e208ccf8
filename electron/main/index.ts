import { app, BrowserWindow, ipcMain } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createDispatcher } from '../../src/contract'
import { createLogger } from '../../src/log/logger'
import { DEMO_HISTORY_MS } from '../../src/ingest/demo-plant/demo-config'
import { Monitor } from '../../src/monitor/monitor'
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
  const logger = createLogger({ dataDir, console: true })
  const monitor = await Monitor.create({
    dataDir,
    host: 'electron',
    demo: demo ? { historyMs: DEMO_HISTORY_MS } : false,
    logger,
  })
  const dispatch = createDispatcher(monitor, (err) => logger.scope('ipc').error('call failed', err))
  registerContractIpc(ipcMain, dispatch, (url) =>
    isTrustedSenderUrl(url, rendererFileUrl, devServerUrl),
  )
  forwardEvents(monitor, () => BrowserWindow.getAllWindows().map((w) => w.webContents))

  const paths = {
    icon: join(here, '../../resources/icon.png'),
    preload: join(here, '../preload/index.cjs'),
    rendererHtml,
    rendererFileUrl,
    devServerUrl,
  }
  let win = createMainWindow(paths)
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow(paths)
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
    void monitor
      .close()
      .finally(() => logger.close())
      .finally(() => app.quit())
  })
}
