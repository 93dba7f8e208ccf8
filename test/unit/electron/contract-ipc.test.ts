import { describe, expect, it } from 'vitest'
import {
  createDispatcher,
  DEFAULT_SECURITY_SETTINGS,
  METHOD_NAMES,
  VigilError,
  type ContractMethods,
  type EventName,
} from '../../../src/contract'
import type { AccountRow } from '../../../src/auth/account-store'
import { Sessions } from '../../../src/auth/sessions'
import {
  forwardEvents,
  registerContractIpc,
  type IpcMainLike,
} from '../../../electron/main/contract-ipc'
import { createPreloadApi, type IpcRendererLike } from '../../../electron/preload/create-api'
import { TypedEmitter } from '../../../src/monitor/typed-emitter'

type Handler = Parameters<IpcMainLike['handle']>[1]

const account = (name: string, role: AccountRow['role']): AccountRow => ({
  name,
  role,
  passwordHash: 'scrypt$...',
  credentialVersion: 1,
  failedAttempts: 0,
  lockedUntil: null,
  lastSignInAt: null,
  createdAt: 0,
})
const accounts = new Map([
  ['olga', account('olga', 'operator')],
  ['eric', account('eric', 'engineer')],
])

function setup() {
  const sessions = new Sessions({
    now: Date.now,
    account: (n) => accounts.get(n) ?? null,
    settings: () => DEFAULT_SECURITY_SETTINGS,
  })
  const acked: string[] = []
  const unused = () => Promise.reject(new Error('unused'))
  const impl: ContractMethods = {
    ...(Object.fromEntries(METHOD_NAMES.map((m) => [m, unused])) as unknown as ContractMethods),
    listSensors: async () => [],
    querySeries: async (p) => ({ from: p.from, to: p.to, series: [] }),
    setDemoFault: async (p) => ({ fault: p.fault, since: null }),
    // A stand-in for the password check: the name is enough here.
    signIn: async (p) => {
      const a = accounts.get(p.name)
      if (!a || p.password !== 'right password') throw new VigilError('UNAUTHENTICATED', 'wrong')
      const begun = sessions.begin(a)
      return { ...begun.info, token: begun.token }
    },
    signOut: async (_, ctx) => ({ signedOut: sessions.end(ctx.token, 'signed-out') }),
    acknowledgeAlarms: async (p, ctx) => {
      acked.push(`${ctx.caller.name}:${p.ids.join(',')}`)
      return { changed: [], skipped: [], summary: {} as never }
    },
  }
  return { sessions, dispatch: createDispatcher(impl), acked }
}

/** ipcMain and ipcRenderer joined back to back, as Electron joins them, for one window. */
function wire(senderUrl: string, handlers = new Map<string, Handler>(), windowId = 1) {
  const ipcMain: IpcMainLike = {
    handle: (channel, h) => void handlers.set(channel, h),
    removeHandler: (channel) => void handlers.delete(channel),
  }
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>()
  const ipcRenderer: IpcRendererLike = {
    invoke: async (channel, params) => {
      const h = handlers.get(channel)
      if (!h) throw new Error(`No handler registered for '${channel}'`)
      return h({ senderFrame: { url: senderUrl }, sender: { id: windowId } }, params)
    },
    on: (channel, l) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)?.add(l)
    },
    removeListener: (channel, l) => void listeners.get(channel)?.delete(l),
  }
  const send = (channel: string, payload: unknown) =>
    listeners.get(channel)?.forEach((l) => l({ sender: 'x' }, payload))
  const contents = { id: windowId, isDestroyed: () => false, send }
  return { handlers, ipcMain, ipcRenderer, send, contents }
}

const PAGE = 'file:///app/index.html'
const trusted = (u: string | undefined) => u === PAGE

describe('contract over IPC', () => {
  it('registers one handler per method and answers a trusted page with envelopes', async () => {
    const { sessions, dispatch } = setup()
    const w = wire(PAGE)
    const ipc = registerContractIpc(w.ipcMain, dispatch, trusted, sessions)
    expect([...w.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `vigil:${m}`).sort())
    const api = createPreloadApi(w.ipcRenderer)
    expect(await api.call('signIn', { name: 'eric', password: 'right password' })).toMatchObject({
      ok: true,
    })
    expect(await api.call('setDemoFault', { fault: 'valve-closing' })).toEqual({
      ok: true,
      result: { fault: 'valve-closing', since: null },
    })
    const bad = await api.call('querySeries', { sensorIds: ['x'], from: 5, to: 1, maxPoints: 10 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    ipc.unregister()
    expect(w.handlers.size).toBe(0)
  })

  it('keeps the session in the main process: the page never sees the token, and cannot name a user', async () => {
    const { sessions, dispatch, acked } = setup()
    const w = wire(PAGE)
    registerContractIpc(w.ipcMain, dispatch, trusted, sessions)
    const api = createPreloadApi(w.ipcRenderer)
    expect(await api.call('listSensors', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
    const signedIn = await api.call('signIn', { name: 'olga', password: 'right password' })
    expect(signedIn).toMatchObject({ ok: true, result: { user: 'olga', role: 'operator' } })
    expect(signedIn.ok && 'token' in signedIn.result).toBe(false)
    // The journal gets the signed-in name; a `user` in the payload is refused outright.
    expect((await api.call('acknowledgeAlarms', { ids: ['a'] })).ok).toBe(true)
    const claimed = await api.call('acknowledgeAlarms', {
      ids: ['b'],
      user: 'eric',
    } as never)
    expect(claimed).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(acked).toEqual(['olga:a'])
    // An operator may not do an engineer's work.
    expect(await api.call('saveAlarmDefinition', {} as never)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    expect(await api.call('signOut', {})).toEqual({ ok: true, result: { signedOut: true } })
    expect(await api.call('listSensors', {})).toMatchObject({ error: { code: 'UNAUTHENTICATED' } })
  })

  it('gives each window its own session, tells a window when its session ends, and ends it with the window', async () => {
    const { sessions, dispatch } = setup()
    const handlers = new Map<string, Handler>()
    const a = wire(PAGE, handlers, 1)
    const b = wire(PAGE, handlers, 2)
    const ipc = registerContractIpc(a.ipcMain, dispatch, trusted, sessions, () => [
      a.contents,
      b.contents,
    ])
    const apiA = createPreloadApi(a.ipcRenderer)
    const apiB = createPreloadApi(b.ipcRenderer)
    await apiA.call('signIn', { name: 'eric', password: 'right password' })
    expect((await apiA.call('listSensors', {})).ok).toBe(true)
    expect((await apiB.call('listSensors', {})).ok).toBe(false)
    expect(ipc.isSignedIn(1)).toBe(true)
    expect(ipc.isSignedIn(2)).toBe(false)
    const told: unknown[] = []
    apiA.on('session', (e) => told.push(e))
    sessions.endAllFor('eric', 'password-changed')
    expect(told).toEqual([{ ended: 'password-changed' }])
    expect((await apiA.call('listSensors', {})).ok).toBe(false)
    await apiA.call('signIn', { name: 'eric', password: 'right password' })
    expect(sessions.size).toBeGreaterThan(0)
    ipc.forget(1)
    expect(ipc.isSignedIn(1)).toBe(false)
  })

  it('refuses calls from a frame that is not our renderer', async () => {
    const { sessions, dispatch } = setup()
    const w = wire('https://evil.example/')
    registerContractIpc(w.ipcMain, dispatch, trusted, sessions)
    const env = await createPreloadApi(w.ipcRenderer).call('getSession', {})
    expect(env).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('the preload refuses unknown methods and events instead of sending them', async () => {
    const w = wire(PAGE)
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

  it('forwards monitor events to the targets only, and the page gets the payload without the IPC event', () => {
    const w = wire(PAGE)
    const monitor = new TypedEmitter<Record<EventName, unknown>>()
    const sent: string[] = []
    const live = {
      id: 1,
      isDestroyed: () => false,
      send: (c: string, p: unknown) => (sent.push(c), w.send(c, p)),
    }
    const dead = { id: 2, isDestroyed: () => true, send: () => sent.push('dead') }
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
