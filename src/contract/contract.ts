import { z } from 'zod'
import {
  auditPageSchema,
  auditQuerySchema,
  changePasswordParamsSchema,
  resetPasswordParamsSchema,
  saveUserParamsSchema,
  securityInfoSchema,
  securitySettingsSchema,
  sessionEndedEventSchema,
  sessionStateSchema,
  setUpParamsSchema as setUpParams,
  signInParamsSchema,
  signInResultSchema,
  userAccountSchema,
  userNameParamsSchema,
  type Access,
  type Role,
} from './auth-schemas'
import type { Envelope } from './errors'
import type { EventName, MethodName } from './names'
import {
  demoStateSchema,
  emptyParamsSchema,
  querySeriesParamsSchema,
  querySeriesResultSchema,
  sampleBatchSchema,
  sensorSchema,
  setDemoFaultParamsSchema,
  statusSchema,
} from './schemas'
import {
  backupParamsSchema,
  backupResultSchema,
  storageInfoSchema,
  storageSettingsSchema,
} from './storage-schemas'
import {
  discoveredPortSchema,
  filePreviewSchema,
  importFileParamsSchema,
  importResultSchema,
  previewFileParamsSchema,
  sourceConfigSchema,
  sourceHealthSchema,
  sourceIdParamsSchema,
  sourceTestResultSchema,
} from './source-schemas'
import {
  compareModelsParamsSchema,
  compareModelsResultSchema,
  explainParamsSchema,
  explanationSchema,
  jobIdParamsSchema,
  modelIdParamsSchema,
  modelSummarySchema,
  scoreBatchSchema,
  setDetectionParamsSchema,
  startTrainingParamsSchema,
  trainingDefaultsSchema,
  trainingProgressSchema,
} from './model-schemas'
import {
  acknowledgeAlarmsParamsSchema,
  alarmActionResultSchema,
  alarmIdSchema,
  alarmKpisSchema,
  alarmListSchema,
  alarmsEventSchema,
  alarmViewSchema,
  anomalyEventIdParamsSchema,
  anomalyEventSchema,
  deleteAlarmDefinitionParamsSchema,
  journalPageSchema,
  journalQuerySchema,
  listAnomalyEventsParamsSchema,
  rangeParamsSchema,
  saveAlarmDefinitionParamsSchema,
  setAlarmServiceParamsSchema,
  shelveAlarmParamsSchema,
  unshelveAlarmParamsSchema,
} from './alarm-schemas'

/**
 * Every method: who may call it, the schema of its parameters and of its result. `role` is the
 * least role a signed-in caller needs, or `public` for the few a signed-out caller may use. The
 * dispatcher checks it before it even reads the parameters; a method without one does not
 * compile.
 */
export const methods = {
  // ---- sessions (public: they are how a caller gets a session) ----
  /** Who is signed in here, and whether the first-run set-up is still to be done. */
  getSession: { role: 'public', params: emptyParamsSchema, result: sessionStateSchema },
  signIn: { role: 'public', params: signInParamsSchema, result: signInResultSchema },
  /** Ends the caller's session (a no-op without one). */
  signOut: {
    role: 'public',
    params: emptyParamsSchema,
    result: z.object({ signedOut: z.boolean() }),
  },
  /** First run only: creates the first engineer account and signs it in. */
  setUpFirstAccount: { role: 'public', params: setUpParams, result: signInResultSchema },
  /** Any signed-in user, for themselves; every session of theirs ends (sign in again). */
  changePassword: {
    role: 'viewer',
    params: changePasswordParamsSchema,
    result: z.object({ changed: z.boolean() }),
  },

  // ---- plant and history ----
  getStatus: { role: 'viewer', params: emptyParamsSchema, result: statusSchema },
  listSensors: { role: 'viewer', params: emptyParamsSchema, result: z.array(sensorSchema) },
  querySeries: { role: 'viewer', params: querySeriesParamsSchema, result: querySeriesResultSchema },
  setDemoFault: { role: 'operator', params: setDemoFaultParamsSchema, result: demoStateSchema },
  getStorage: { role: 'viewer', params: emptyParamsSchema, result: storageInfoSchema },
  setStorageSettings: {
    role: 'engineer',
    params: storageSettingsSchema,
    result: storageInfoSchema,
  },
  backupNow: { role: 'engineer', params: backupParamsSchema, result: backupResultSchema },

  // ---- sources ----
  listSources: { role: 'viewer', params: emptyParamsSchema, result: z.array(sourceConfigSchema) },
  /** Creates or replaces (by id) a source and (re)starts it. */
  saveSource: { role: 'engineer', params: sourceConfigSchema, result: sourceConfigSchema },
  /** Stops and removes a source; its sensors' history stays. */
  deleteSource: { role: 'engineer', params: sourceIdParamsSchema, result: sourceIdParamsSchema },
  listPorts: { role: 'engineer', params: emptyParamsSchema, result: z.array(discoveredPortSchema) },
  /** Opens a source's connection briefly (a few seconds) and shows what it reads, parsed. */
  testSource: { role: 'engineer', params: sourceConfigSchema, result: sourceTestResultSchema },
  getSourceHealth: { role: 'viewer', params: sourceIdParamsSchema, result: sourceHealthSchema },
  /** Only regular files under the allowed folders (see `getSecurity`). */
  previewFile: { role: 'engineer', params: previewFileParamsSchema, result: filePreviewSchema },
  importFile: { role: 'engineer', params: importFileParamsSchema, result: importResultSchema },

  // ---- models ----
  /** The default model, training and detection settings, for the training form. */
  getTrainingDefaults: {
    role: 'viewer',
    params: emptyParamsSchema,
    result: trainingDefaultsSchema,
  },
  /** Starts training in a worker thread; one run at a time. Progress comes as `training` events. */
  startTraining: {
    role: 'engineer',
    params: startTrainingParamsSchema,
    result: trainingProgressSchema,
  },
  cancelTraining: { role: 'engineer', params: jobIdParamsSchema, result: trainingProgressSchema },
  /** The current or last training run; null when none ran since start. */
  getTraining: {
    role: 'viewer',
    params: emptyParamsSchema,
    result: trainingProgressSchema.nullable(),
  },
  listModels: { role: 'viewer', params: emptyParamsSchema, result: z.array(modelSummarySchema) },
  /** Makes a model the one that scores live data (the previous one stays stored: roll back). */
  activateModel: { role: 'engineer', params: modelIdParamsSchema, result: modelSummarySchema },
  deactivateModel: {
    role: 'engineer',
    params: emptyParamsSchema,
    result: z.array(modelSummarySchema),
  },
  deleteModel: { role: 'engineer', params: modelIdParamsSchema, result: modelIdParamsSchema },
  /** Edits a model's threshold settings (false-alarm rate, smoothing, duration, override). */
  setDetection: { role: 'engineer', params: setDetectionParamsSchema, result: modelSummarySchema },
  explainWindow: { role: 'viewer', params: explainParamsSchema, result: explanationSchema },
  /** Scores a stretch of history with a candidate and with the active model (heavy: engineers). */
  compareModels: {
    role: 'engineer',
    params: compareModelsParamsSchema,
    result: compareModelsResultSchema,
  },

  // ---- alarms ----
  /** Every alarm (definition and live state) and the banner counts. */
  listAlarms: { role: 'viewer', params: emptyParamsSchema, result: alarmListSchema },
  /** Durably journalled, under the signed-in user's name, before it returns. */
  acknowledgeAlarms: {
    role: 'operator',
    params: acknowledgeAlarmsParamsSchema,
    result: alarmActionResultSchema,
  },
  shelveAlarm: {
    role: 'operator',
    params: shelveAlarmParamsSchema,
    result: alarmActionResultSchema,
  },
  unshelveAlarm: {
    role: 'operator',
    params: unshelveAlarmParamsSchema,
    result: alarmActionResultSchema,
  },
  /** Out of service and back. */
  setAlarmService: {
    role: 'engineer',
    params: setAlarmServiceParamsSchema,
    result: alarmActionResultSchema,
  },
  /** Creates or edits a definition. */
  saveAlarmDefinition: {
    role: 'engineer',
    params: saveAlarmDefinitionParamsSchema,
    result: alarmViewSchema,
  },
  deleteAlarmDefinition: {
    role: 'engineer',
    params: deleteAlarmDefinitionParamsSchema,
    result: z.object({ id: alarmIdSchema }),
  },
  queryAlarmJournal: { role: 'viewer', params: journalQuerySchema, result: journalPageSchema },
  getAlarmKpis: { role: 'viewer', params: rangeParamsSchema, result: alarmKpisSchema },
  listAnomalyEvents: {
    role: 'viewer',
    params: listAnomalyEventsParamsSchema,
    result: z.array(anomalyEventSchema),
  },
  getAnomalyEvent: {
    role: 'viewer',
    params: anomalyEventIdParamsSchema,
    result: anomalyEventSchema,
  },

  // ---- users and security ----
  listUsers: { role: 'engineer', params: emptyParamsSchema, result: z.array(userAccountSchema) },
  /** Adds a user (with a password) or changes a user's role. */
  saveUser: { role: 'engineer', params: saveUserParamsSchema, result: z.array(userAccountSchema) },
  deleteUser: {
    role: 'engineer',
    params: userNameParamsSchema,
    result: z.array(userAccountSchema),
  },
  /** Sets another user's password: their sessions end and a lock is lifted. */
  resetPassword: {
    role: 'engineer',
    params: resetPasswordParamsSchema,
    result: z.array(userAccountSchema),
  },
  unlockUser: {
    role: 'engineer',
    params: userNameParamsSchema,
    result: z.array(userAccountSchema),
  },
  getSecurity: { role: 'engineer', params: emptyParamsSchema, result: securityInfoSchema },
  setSecuritySettings: {
    role: 'engineer',
    params: securitySettingsSchema,
    result: securityInfoSchema,
  },
  /** Configuration changes, sign-ins and sign-outs, newest first. */
  queryAuditTrail: { role: 'engineer', params: auditQuerySchema, result: auditPageSchema },
} as const satisfies Record<MethodName, { role: Access; params: z.ZodType; result: z.ZodType }>

/** Every event and the schema of its payload. */
export const events = {
  samples: sampleBatchSchema,
  status: statusSchema,
  training: trainingProgressSchema,
  scores: scoreBatchSchema,
  alarms: alarmsEventSchema,
  /** To one screen only, from its host: its session ended (the screen goes to sign-in). */
  session: sessionEndedEventSchema,
} as const satisfies Record<EventName, z.ZodType>

/** What a caller sends (defaults may be left out). */
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>
/** What the core receives: validated, defaults filled in. */
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

/** Methods whose success begins a session: the host keeps the token (cookie, main process). */
export const SESSION_BEGINNING_METHODS: readonly MethodName[] = ['signIn', 'setUpFirstAccount']
/** Methods whose success ends the caller's session. */
export const SESSION_ENDING_METHODS: readonly MethodName[] = ['signOut', 'changePassword']

/** The role (or `public`) a method needs. */
export type MethodAccess<M extends MethodName> = (typeof methods)[M]['role']

/** The least role each method needs, by name. */
export const methodAccess = (method: MethodName): Access => methods[method].role

/** Who is calling: established by the host (a session), never taken from the payload. */
export interface Caller {
  name: string
  role: Role
}

/** What the host knows about a call besides its parameters. */
export interface CallContext {
  /** The signed-in user; null for a caller without a (valid) session. */
  caller: Caller | null
  /** The session token the call came with, if any (to sign it out). */
  token: string | null
  /**
   * The desktop app's own window (IPC from our renderer): the person is at this workstation,
   * so the first-run set-up needs no token.
   */
  desktop: boolean
  /** Where the call came from, for the audit trail: `desktop` or a network address. */
  origin: string
}

/** The context of a method that needs a role: the dispatcher has checked there is a caller. */
export type SignedInContext = CallContext & { caller: Caller }

export type ContextFor<M extends MethodName> =
  MethodAccess<M> extends 'public' ? CallContext : SignedInContext

/** What the core implements: one async function per method. */
export type ContractMethods = {
  [M in MethodName]: (params: ParsedParams<M>, ctx: ContextFor<M>) => Promise<Result<M>>
}

/** What a transport exposes to the renderer (the preload's `window.vigil`, the WebSocket client). */
export interface ContractTransport {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Envelope<Result<M>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
