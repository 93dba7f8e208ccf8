import { describe, expect, it } from 'vitest'
import {
  createDispatcher,
  METHOD_NAMES,
  type ContractMethods,
  type EventName,
} from '../../../src/contract'
import {
  forwardEvents,
  registerContractIpc,
  type IpcMainLike,
} from '../../../electron/main/contract-ipc'
import { createPreloadApi, type IpcRendererLike } from '../../../electron/preload/create-api'
import { TypedEmitter } from '../../../src/monitor/typed-emitter'

type Handler = Parameters<IpcMainLike['handle']>[1]

const unused = () => Promise.reject(new Error('unused'))
const impl: ContractMethods = {
  ...(Object.fromEntries(METHOD_NAMES.map((m) => [m, unused])) as unknown as ContractMethods),
  listSensors: async () => [],
  querySeries: async (p) => ({ from: p.from, to: p.to, series: [] }),
  setDemoFault: async (p) => ({ fault: p.fault, since: null }),
}

/** ipcMain and ipcRenderer joined back to back, as Electron joins them. */
function wire(senderUrl: string) {
  const handlers = new Map<string, Handler>()
  const ipcMain: IpcMainLike = {
    handle: (channel, h) => void handlers.set(channel, h),
    removeHandler: (channel) => void handlers.delete(channel),
  }
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>()
  const ipcRenderer: IpcRendererLike = {
    invoke: async (channel, params) => {
      const h = handlers.get(channel)
      if (!h) throw new Error(`No handler registered for '${channel}'`)
      return h({ senderFrame: { url: senderUrl } }, params)
    },
    on: (channel, l) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)?.add(l)
    },
    removeListener: (channel, l) => void listeners.get(channel)?.delete(l),
  }
  const send = (channel: string, payload: unknown) =>
    listeners.get(channel)?.forEach((l) => l({ sender: 'x' }, payload))
  return { handlers, ipcMain, ipcRenderer, send }
}

describe('contract over IPC', () => {
  it('registers one handler per method and answers a trusted page with envelopes', async () => {
    const w = wire('file:///app/index.html')
    const unregister = registerContractIpc(
      w.ipcMain,
      createDispatcher(impl),
      (u) => u === 'file:///app/index.html',
    )
    expect([...w.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `vigil:${m}`).sort())
    const api = createPreloadApi(w.ipcRenderer)
    expect(await api.call('setDemoFault', { fault: 'valve-closing' })).toEqual({
      ok: true,
      result: { fault: 'valve-closing', since: null },
    })
    const bad = await api.call('querySeries', { sensorIds: ['x'], from: 5, to: 1, maxPoints: 10 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    unregister()
    expect(w.handlers.size).toBe(0)
  })

  it('refuses calls from a frame that is not our renderer', async () => {
    const w = wire('https://evil.example/')
    registerContractIpc(w.ipcMain, createDispatcher(impl), (u) => u === 'file:///app/index.html')
    const env = await createPreloadApi(w.ipcRenderer).call('listSensors', {})
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('the preload refuses unknown methods and events instead of sending them', async () => {
    const w = wire('file:///app/index.html')
    const api = createPreloadApi(w.ipcRenderer) as unknown as {
      call: (m: string, p: unknown) => Promise<unknown>
      on: (e: string, cb: () => void) => void
    }
    expect(await api.call('shell', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    })
    expect(() => api.on('anything', () => {})).toThrow(/Unknown event/)
  })

  it('forwards monitor events to live windows only, and the page gets the payload without the IPC event', () => {
    const w = wire('file:///app/index.html')
    const monitor = new TypedEmitter<Record<EventName, unknown>>()
    const sent: string[] = []
    const live = {
      isDestroyed: () => false,
      send: (c: string, p: unknown) => (sent.push(c), w.send(c, p)),
    }
    const dead = { isDestroyed: () => true, send: () => sent.push('dead') }
    forwardEvents(monitor as never, () => [live, dead])
    const api = createPreloadApi(w.ipcRenderer)
    const got: unknown[] = []
    const off = api.on('samples', (p) => got.push(p))
    const batch = { sensorIds: ['a'], t: [1], values: [2] }
    monitor.emit('samples', batch)
    off()
    monitor.emit('samples', batch)
    expect(got).toEqual([batch])
    expect(sent).toEqual(['vigil:event:samples', 'vigil:event:samples'])
  })
})
