import { z } from 'zod'
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
  deleteUserParamsSchema,
  journalPageSchema,
  journalQuerySchema,
  listAnomalyEventsParamsSchema,
  rangeParamsSchema,
  saveAlarmDefinitionParamsSchema,
  saveUserParamsSchema,
  setAlarmServiceParamsSchema,
  shelveAlarmParamsSchema,
  unshelveAlarmParamsSchema,
  userSchema,
} from './alarm-schemas'

/** Every method: the schema of its parameters and of its result. */
export const methods = {
  getStatus: { params: emptyParamsSchema, result: statusSchema },
  listSensors: { params: emptyParamsSchema, result: z.array(sensorSchema) },
  querySeries: { params: querySeriesParamsSchema, result: querySeriesResultSchema },
  setDemoFault: { params: setDemoFaultParamsSchema, result: demoStateSchema },
  getStorage: { params: emptyParamsSchema, result: storageInfoSchema },
  setStorageSettings: { params: storageSettingsSchema, result: storageInfoSchema },
  backupNow: { params: backupParamsSchema, result: backupResultSchema },
  listSources: { params: emptyParamsSchema, result: z.array(sourceConfigSchema) },
  /** Creates or replaces (by id) a source and (re)starts it. */
  saveSource: { params: sourceConfigSchema, result: sourceConfigSchema },
  /** Stops and removes a source; its sensors' history stays. */
  deleteSource: { params: sourceIdParamsSchema, result: sourceIdParamsSchema },
  listPorts: { params: emptyParamsSchema, result: z.array(discoveredPortSchema) },
  /** Opens a source's connection briefly (a few seconds) and shows what it reads, parsed. */
  testSource: { params: sourceConfigSchema, result: sourceTestResultSchema },
  getSourceHealth: { params: sourceIdParamsSchema, result: sourceHealthSchema },
  previewFile: { params: previewFileParamsSchema, result: filePreviewSchema },
  importFile: { params: importFileParamsSchema, result: importResultSchema },
  /** The default model, training and detection settings, for the training form. */
  getTrainingDefaults: { params: emptyParamsSchema, result: trainingDefaultsSchema },
  /** Starts training in a worker thread; one run at a time. Progress comes as `training` events. */
  startTraining: { params: startTrainingParamsSchema, result: trainingProgressSchema },
  cancelTraining: { params: jobIdParamsSchema, result: trainingProgressSchema },
  /** The current or last training run; null when none ran since start. */
  getTraining: { params: emptyParamsSchema, result: trainingProgressSchema.nullable() },
  listModels: { params: emptyParamsSchema, result: z.array(modelSummarySchema) },
  /** Makes a model the one that scores live data (the previous one stays stored: roll back). */
  activateModel: { params: modelIdParamsSchema, result: modelSummarySchema },
  deactivateModel: { params: emptyParamsSchema, result: z.array(modelSummarySchema) },
  deleteModel: { params: modelIdParamsSchema, result: modelIdParamsSchema },
  /** Edits a model's threshold settings (false-alarm rate, smoothing, duration, override). */
  setDetection: { params: setDetectionParamsSchema, result: modelSummarySchema },
  explainWindow: { params: explainParamsSchema, result: explanationSchema },
  /** Scores a stretch of history with a candidate and with the active model. */
  compareModels: { params: compareModelsParamsSchema, result: compareModelsResultSchema },
  /** Every alarm (definition and live state) and the banner counts. */
  listAlarms: { params: emptyParamsSchema, result: alarmListSchema },
  /** Durably journalled before it returns. Any known user. */
  acknowledgeAlarms: { params: acknowledgeAlarmsParamsSchema, result: alarmActionResultSchema },
  shelveAlarm: { params: shelveAlarmParamsSchema, result: alarmActionResultSchema },
  unshelveAlarm: { params: unshelveAlarmParamsSchema, result: alarmActionResultSchema },
  /** Out of service and back: engineers only. */
  setAlarmService: { params: setAlarmServiceParamsSchema, result: alarmActionResultSchema },
  /** Creates or edits a definition: engineers only. */
  saveAlarmDefinition: { params: saveAlarmDefinitionParamsSchema, result: alarmViewSchema },
  deleteAlarmDefinition: {
    params: deleteAlarmDefinitionParamsSchema,
    result: z.object({ id: alarmIdSchema }),
  },
  queryAlarmJournal: { params: journalQuerySchema, result: journalPageSchema },
  getAlarmKpis: { params: rangeParamsSchema, result: alarmKpisSchema },
  listAnomalyEvents: { params: listAnomalyEventsParamsSchema, result: z.array(anomalyEventSchema) },
  getAnomalyEvent: { params: anomalyEventIdParamsSchema, result: anomalyEventSchema },
  listUsers: { params: emptyParamsSchema, result: z.array(userSchema) },
  /** Adds a user or changes a role: engineers only. */
  saveUser: { params: saveUserParamsSchema, result: z.array(userSchema) },
  deleteUser: { params: deleteUserParamsSchema, result: z.array(userSchema) },
} as const satisfies Record<MethodName, { params: z.ZodType; result: z.ZodType }>

/** Every event and the schema of its payload. */
export const events = {
  samples: sampleBatchSchema,
  status: statusSchema,
  training: trainingProgressSchema,
  scores: scoreBatchSchema,
  alarms: alarmsEventSchema,
} as const satisfies Record<EventName, z.ZodType>

/** What a caller sends (defaults may be left out). */
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>
/** What the core receives: validated, defaults filled in. */
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

/** What the core implements: one async function per method. */
export type ContractMethods = { [M in MethodName]: (params: ParsedParams<M>) => Promise<Result<M>> }

/** What a transport exposes to the renderer (the preload's `window.vigil`, the WebSocket client). */
export interface ContractTransport {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Envelope<Result<M>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
