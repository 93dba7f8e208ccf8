import type {
  ContractTransport,
  Envelope,
  EventName,
  EventPayload,
  MethodName,
  Params,
  Result,
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

/** The Electron preload when present, otherwise the host's WebSocket: decided once. */
function getLink(): Link {
  if (link) return link
  if (window.vigil) {
    // IPC to the main process has no connection to lose.
    const ipc = window.vigil
    link = {
      transport: ipc,
      // IPC waits as long as the main process takes.
      callWithin: (method, params) => ipc.call(method, params),
      state: () => 'open',
      onStateChange: () => () => {},
    }
  } else {
    const ws = createWsTransport({ url: wsUrl(window.location) })
    link = {
      transport: ws,
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
    envelope = await (timeoutMs === undefined
      ? link.transport.call(method, params)
      : link.callWithin(method, params, timeoutMs))
  } catch (err) {
    throw ApiError.fromFailure(method, err)
  }
  if (envelope.ok) return envelope.result
  throw ApiError.fromData(envelope.error)
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
  deleteUser: (params: Params<'deleteUser'>) => call('deleteUser', params),
}
