import type {
  ContractTransport,
  Envelope,
  EventName,
  EventPayload,
  MethodName,
  Params,
  Result,
  SessionEndReason,
  WS_PATH,
} from '@vigil/contract'
import { ApiError } from './api-error'
import { createWsTransport, type ConnectionState } from './ws-transport'

export { ApiError } from './api-error'
export type { ConnectionState } from './ws-transport'

// A value import from the contract is not allowed here; the type keeps this copy honest.
const wsPath: typeof WS_PATH = '/api/ws'

interface Link {
  transport: ContractTransport
  /** The call for the session methods (the web host sets its cookie only over HTTP). */
  sessionCall<M extends MethodName>(method: M, params: Params<M>): Promise<Envelope<Result<M>>>
  /** A session began (or changed): live updates follow it. */
  signedIn(): void
  /** The session ended: live updates stop. */
  signedOut(): void
  /** The call, with a longer wait where the transport has one to set. */
  callWithin<M extends MethodName>(
    method: M,
    params: Params<M>,
    timeoutMs: number,
  ): Promise<Envelope<Result<M>>>
  state(): ConnectionState
  onStateChange(listener: (state: ConnectionState) => void): () => void
}

let link: Link | undefined

const BACKUP_TIMEOUT_MS = 15 * 60_000
const IMPORT_TIMEOUT_MS = 15 * 60_000
const COMPARE_TIMEOUT_MS = 5 * 60_000

function wsUrl(loc: Location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${wsPath}`
}

/** Methods that begin, end or describe a session: over HTTP on the web, for the cookie. */
const SESSION_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'getSession',
  'signIn',
  'signOut',
  'setUpFirstAccount',
  'changePassword',
])

async function httpCall<M extends MethodName>(
  method: M,
  params: Params<M>,
): Promise<Envelope<Result<M>>> {
  const res = await fetch(`api/call/${method}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  })
  return (await res.json()) as Envelope<Result<M>>
}

const endedListeners = new Set<(reason: SessionEndReason) => void>()

function sessionEnded(reason: SessionEndReason): void {
  for (const l of endedListeners) l(reason)
}

/** The Electron preload when present, otherwise the host's WebSocket: decided once. */
function getLink(): Link {
  if (link) return link
  if (window.vigil) {
    // IPC to the main process has no connection to lose.
    const ipc = window.vigil
    ipc.on('session', (e) => sessionEnded(e.ended))
    link = {
      transport: ipc,
      // The main process keeps the session; the page never sees its token.
      sessionCall: (method, params) => ipc.call(method, params),
      signedIn: () => {},
      signedOut: () => {},
      // IPC waits as long as the main process takes.
      callWithin: (method, params) => ipc.call(method, params),
      state: () => 'open',
      onStateChange: () => () => {},
    }
  } else {
    const ws = createWsTransport({ url: wsUrl(window.location), connectNow: false })
    let lastReason: SessionEndReason = 'expired'
    ws.on('session', (e) => (lastReason = e.ended))
    ws.onStateChange((state) => {
      if (state === 'signed-out') sessionEnded(lastReason)
      // A restarted host forgot every session and refuses the socket: ask how things stand.
      if (state === 'reconnecting')
        void httpCall('getSession', {}).then(
          (env) => {
            if (env.ok && env.result.session === null) ws.pause()
          },
          () => {},
        )
    })
    link = {
      transport: ws,
      sessionCall: httpCall,
      signedIn: () => {
        lastReason = 'expired'
        ws.resume()
      },
      signedOut: () => ws.pause(),
      callWithin: (method, params, timeoutMs) => ws.call(method, params, timeoutMs),
      state: () => ws.state,
      onStateChange: (cb) => ws.onStateChange(cb),
    }
  }
  return link
}

/**
 * Calls a contract method; resolves with its result or throws an {@link ApiError}. A
 * `timeoutMs` lets a long operation (a backup of a large database) outlast the usual wait.
 */
export async function call<M extends MethodName>(
  method: M,
  params: Params<M>,
  timeoutMs?: number,
): Promise<Result<M>> {
  let envelope
  try {
    const link = getLink()
    envelope = await (SESSION_METHODS.has(method)
      ? link.sessionCall(method, params)
      : timeoutMs === undefined
        ? link.transport.call(method, params)
        : link.callWithin(method, params, timeoutMs))
  } catch (err) {
    throw ApiError.fromFailure(method, err)
  }
  if (envelope.ok) return envelope.result
  // Refused for want of a session where one was expected: it ended (expired, or the host restarted).
  if (envelope.error.code === 'UNAUTHENTICATED' && !SESSION_METHODS.has(method))
    sessionEnded('expired')
  throw ApiError.fromData(envelope.error)
}

/** Live updates follow the session that just began (or changed). */
export function sessionBegan(): void {
  getLink().signedIn()
}

/** The session ended here: live updates stop. */
export function sessionClosed(): void {
  getLink().signedOut()
}

/** Called when the host ends this screen's session (idle, expired, password changed, ...). */
export function onSessionEnded(listener: (reason: SessionEndReason) => void): () => void {
  getLink()
  endedListeners.add(listener)
  return () => endedListeners.delete(listener)
}

/** Subscribes to a contract event; returns the unsubscribe function. */
export function on<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return getLink().transport.on(event, listener)
}

export function connectionState(): ConnectionState {
  return getLink().state()
}

export function onConnectionChange(listener: (state: ConnectionState) => void): () => void {
  return getLink().onStateChange(listener)
}

/** The contract's methods by name, for readable call sites. */
export const api = {
  getSession: () => call('getSession', {}),
  signIn: (params: Params<'signIn'>) => call('signIn', params),
  signOut: () => call('signOut', {}),
  setUpFirstAccount: (params: Params<'setUpFirstAccount'>) => call('setUpFirstAccount', params),
  changePassword: (params: Params<'changePassword'>) => call('changePassword', params),
  getStatus: () => call('getStatus', {}),
  listSensors: () => call('listSensors', {}),
  querySeries: (params: Params<'querySeries'>) => call('querySeries', params),
  setDemoFault: (params: Params<'setDemoFault'>) => call('setDemoFault', params),
  getStorage: () => call('getStorage', {}),
  setStorageSettings: (params: Params<'setStorageSettings'>) => call('setStorageSettings', params),
  // Copying and checking a large database takes minutes, not seconds.
  backupNow: () => call('backupNow', {}, BACKUP_TIMEOUT_MS),
  listSources: () => call('listSources', {}),
  saveSource: (config: Params<'saveSource'>) => call('saveSource', config),
  deleteSource: (id: string) => call('deleteSource', { id }),
  listPorts: () => call('listPorts', {}),
  testSource: (config: Params<'testSource'>) => call('testSource', config),
  getSourceHealth: (id: string) => call('getSourceHealth', { id }),
  previewFile: (params: Params<'previewFile'>) => call('previewFile', params),
  // A long history file takes minutes to read and store.
  importFile: (params: Params<'importFile'>) => call('importFile', params, IMPORT_TIMEOUT_MS),
  getTrainingDefaults: () => call('getTrainingDefaults', {}),
  startTraining: (params: Params<'startTraining'>) => call('startTraining', params),
  cancelTraining: (jobId: string) => call('cancelTraining', { jobId }),
  getTraining: () => call('getTraining', {}),
  listModels: () => call('listModels', {}),
  activateModel: (id: number) => call('activateModel', { id }),
  deactivateModel: () => call('deactivateModel', {}),
  deleteModel: (id: number) => call('deleteModel', { id }),
  setDetection: (params: Params<'setDetection'>) => call('setDetection', params),
  explainWindow: (params: Params<'explainWindow'>) => call('explainWindow', params),
  // Scoring a long stretch of history with two models takes a while on the CPU backend.
  compareModels: (params: Params<'compareModels'>) =>
    call('compareModels', params, COMPARE_TIMEOUT_MS),
  listAlarms: () => call('listAlarms', {}),
  acknowledgeAlarms: (params: Params<'acknowledgeAlarms'>) => call('acknowledgeAlarms', params),
  shelveAlarm: (params: Params<'shelveAlarm'>) => call('shelveAlarm', params),
  unshelveAlarm: (params: Params<'unshelveAlarm'>) => call('unshelveAlarm', params),
  setAlarmService: (params: Params<'setAlarmService'>) => call('setAlarmService', params),
  saveAlarmDefinition: (params: Params<'saveAlarmDefinition'>) =>
    call('saveAlarmDefinition', params),
  deleteAlarmDefinition: (params: Params<'deleteAlarmDefinition'>) =>
    call('deleteAlarmDefinition', params),
  queryAlarmJournal: (params: Params<'queryAlarmJournal'>) => call('queryAlarmJournal', params),
  getAlarmKpis: (params: Params<'getAlarmKpis'>) => call('getAlarmKpis', params),
  listAnomalyEvents: (params: Params<'listAnomalyEvents'>) => call('listAnomalyEvents', params),
  getAnomalyEvent: (id: number) => call('getAnomalyEvent', { id }),
  listUsers: () => call('listUsers', {}),
  saveUser: (params: Params<'saveUser'>) => call('saveUser', params),
  deleteUser: (name: string) => call('deleteUser', { name }),
  resetPassword: (params: Params<'resetPassword'>) => call('resetPassword', params),
  unlockUser: (name: string) => call('unlockUser', { name }),
  getSecurity: () => call('getSecurity', {}),
  setSecuritySettings: (params: Params<'setSecuritySettings'>) =>
    call('setSecuritySettings', params),
  queryAuditTrail: (params: Params<'queryAuditTrail'>) => call('queryAuditTrail', params),
}
