import { VigilError, type ContractMethods } from '../../contract'
import { audit, type MonitorParts } from './parts'

type PlantMethodName =
  | 'getStatus'
  | 'listSensors'
  | 'querySeries'
  | 'setDemoFault'
  | 'getStorage'
  | 'setStorageSettings'
  | 'backupNow'

/** The plant's status, its history, the demo plant and the storage settings. */
export function plantMethods(m: MonitorParts): Pick<ContractMethods, PlantMethodName> {
  return {
    getStatus: async () => m.status(),
    listSensors: async () => m.historian.sensors(),
    querySeries: async (params) => {
      // Samples still waiting in the batcher belong in the answer: flush them first.
      m.batcher.flush()
      return m.historian.querySeries(params)
    },
    setDemoFault: async (params, ctx) => {
      if (!m.demo)
        throw new VigilError('NOT_AVAILABLE', 'The demo plant is not running (start with --demo).')
      const before = m.demo.demoState().fault
      const state = m.demo.setFault(params.fault)
      audit(m, ctx, { action: 'demo-fault', target: 'demo', before, after: state.fault })
      return state
    },
    getStorage: async () => m.historian.info(),
    setStorageSettings: async (settings, ctx) => {
      const before = m.historian.info().settings
      m.historian.setSettings(settings)
      audit(m, ctx, { action: 'storage-settings', target: 'storage', before, after: settings })
      // Apply a tighter retention or cap now, not at the next scheduled run.
      void m.runMaintenance()
      return m.historian.info()
    },
    backupNow: async (_, ctx) => {
      m.batcher.flush()
      const result = await m.historian.backup()
      audit(m, ctx, { action: 'backup', target: 'storage', after: { file: result.file } })
      return result
    },
  }
}
