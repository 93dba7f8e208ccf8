// A stand-in for the `electron` module, for running the built main-process bundle under plain
// Node where no Electron binary exists. It records what the app asks of Electron.
export const handlers = new Map()
export const windows = []
export const sent = []
const listeners = {}
let nextContentsId = 1
let windowCreated
export const firstWindow = new Promise((resolve) => (windowCreated = resolve))
let quitted
export const quit = new Promise((resolve) => (quitted = resolve))

export const app = {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getPath: (name) => {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`)
    return process.env.FAKE_USER_DATA
  },
  on: (event, cb) => (listeners[event] ??= []).push(cb),
  emit: (event, ...args) => (listeners[event] ?? []).forEach((cb) => cb(...args)),
  quit: () => quitted(),
}

export const ipcMain = {
  handle: (channel, fn) => handlers.set(channel, fn),
  removeHandler: (channel) => handlers.delete(channel),
}

export class BrowserWindow {
  constructor(options) {
    this.options = options
    this.loaded = null
    this.webContents = {
      id: nextContentsId++,
      on: () => {},
      setWindowOpenHandler: () => {},
      isDestroyed: () => false,
      send: (channel) => sent.push(channel),
      isLoading: () => false,
      once: () => {},
      executeJavaScript: () => Promise.resolve(),
    }
    windows.push(this)
    windowCreated(this)
  }
  once() {}
  on() {}
  show() {}
  isMinimized() {
    return false
  }
  restore() {}
  focus() {}
  isDestroyed() {
    return false
  }
  loadFile(path) {
    this.loaded = { file: path }
    return Promise.resolve()
  }
  loadURL(url) {
    this.loaded = { url }
    return Promise.resolve()
  }
  static getAllWindows() {
    return windows
  }
}

export const shell = { openExternal: () => Promise.resolve() }

/** System notifications the app showed: { title, body }. */
export const notifications = []

export class Notification {
  static isSupported() {
    return true
  }
  constructor(options) {
    this.options = options
    this.listeners = {}
  }
  on(event, cb) {
    ;(this.listeners[event] ??= []).push(cb)
    return this
  }
  show() {
    notifications.push({ title: this.options.title, body: this.options.body })
  }
}
