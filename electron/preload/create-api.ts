import { EVENT_NAMES, eventChannel, METHOD_NAMES, methodChannel } from '../../src/contract/names'
import type { ContractTransport } from '../../src/contract/contract'

/** The slice of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, payload: unknown) => void): void
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void
}

/**
 * Builds `window.vigil` from the contract's names: `call(method, params)` and
 * `on(event, cb) → unsubscribe`. Raw ipcRenderer never reaches the page.
 */
export function createPreloadApi(ipc: IpcRendererLike): ContractTransport {
  const methods = new Set<string>(METHOD_NAMES)
  const events = new Set<string>(EVENT_NAMES)
  const api = {
    call(method: string, params: unknown) {
      if (!methods.has(method)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_METHOD', message: `Unknown method "${method}"` },
        })
      }
      return ipc.invoke(methodChannel(method as (typeof METHOD_NAMES)[number]), params)
    },
    on(event: string, listener: (payload: unknown) => void) {
      if (!events.has(event)) throw new Error(`Unknown event "${event}"`)
      const channel = eventChannel(event as (typeof EVENT_NAMES)[number])
      // The IPC event object (with its sender) is not passed on to the page.
      const wrapped = (_e: unknown, payload: unknown) => listener(payload)
      ipc.on(channel, wrapped)
      return () => ipc.removeListener(channel, wrapped)
    },
  }
  return api as ContractTransport
}
