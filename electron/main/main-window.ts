import { BrowserWindow, shell } from 'electron'
import { isTrustedSenderUrl } from './trusted-sender'

export interface WindowPaths {
  icon: string
  preload: string
  rendererHtml: string
  rendererFileUrl: string
  devServerUrl: string | undefined
}

/** The main window, with secure defaults; it never navigates away from the app. */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#1c1f22',
    title: 'Vigil',
    icon: paths.icon,
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedSenderUrl(url, paths.rendererFileUrl, paths.devServerUrl)) event.preventDefault()
  })
  // Links to the outside world open in the user's browser, never inside the app.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  if (paths.devServerUrl) void win.loadURL(paths.devServerUrl)
  else void win.loadFile(paths.rendererHtml)
  return win
}
