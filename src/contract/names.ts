/**
 * The names of every contract method and event, without their schemas, so the preload script
 * can build `window.vigil` without bundling the validation library.
 */
export const METHOD_NAMES = [
  'getSession',
  'signIn',
  'signOut',
  'setUpFirstAccount',
  'changePassword',
  'getStatus',
  'listSensors',
  'querySeries',
  'setDemoFault',
  'getStorage',
  'setStorageSettings',
  'backupNow',
  'listSources',
  'saveSource',
  'deleteSource',
  'listPorts',
  'testSource',
  'getSourceHealth',
  'previewFile',
  'importFile',
  'getTrainingDefaults',
  'startTraining',
  'cancelTraining',
  'getTraining',
  'listModels',
  'activateModel',
  'deactivateModel',
  'deleteModel',
  'setDetection',
  'explainWindow',
  'compareModels',
  'listAlarms',
  'acknowledgeAlarms',
  'shelveAlarm',
  'unshelveAlarm',
  'setAlarmService',
  'saveAlarmDefinition',
  'deleteAlarmDefinition',
  'queryAlarmJournal',
  'getAlarmKpis',
  'listAnomalyEvents',
  'getAnomalyEvent',
  'listUsers',
  'saveUser',
  'deleteUser',
  'resetPassword',
  'unlockUser',
  'getSecurity',
  'setSecuritySettings',
  'queryAuditTrail',
] as const
export const EVENT_NAMES = ['samples', 'status', 'training', 'scores', 'alarms', 'session'] as const

export type MethodName = (typeof METHOD_NAMES)[number]
export type EventName = (typeof EVENT_NAMES)[number]

/** IPC channel of a method, `domain:verb` style. */
export const methodChannel = (method: MethodName): string => `vigil:${method}`
/** IPC channel on which the main process forwards an event to windows. */
export const eventChannel = (event: EventName): string => `vigil:event:${event}`

export const isMethodName = (name: string): name is MethodName =>
  (METHOD_NAMES as readonly string[]).includes(name)
