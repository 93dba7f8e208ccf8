import type { ContractMethods } from '../../contract'
import { audit, type MonitorParts } from './parts'

type AlarmMethodName =
  | 'listAlarms'
  | 'acknowledgeAlarms'
  | 'shelveAlarm'
  | 'unshelveAlarm'
  | 'setAlarmService'
  | 'saveAlarmDefinition'
  | 'deleteAlarmDefinition'
  | 'queryAlarmJournal'
  | 'getAlarmKpis'
  | 'listAnomalyEvents'
  | 'getAnomalyEvent'

/**
 * Alarms: actions are journalled under the signed-in caller's name. Samples still in the
 * batcher may change the alarms acted on, so they are evaluated first.
 */
export function alarmMethods(m: MonitorParts): Pick<ContractMethods, AlarmMethodName> {
  return {
    listAlarms: async () => m.alarms.list(),
    acknowledgeAlarms: async (p, ctx) => {
      m.batcher.flush()
      return m.alarms.acknowledge(p.ids, ctx.caller.name, p.note)
    },
    shelveAlarm: async (p, ctx) => {
      m.batcher.flush()
      return m.alarms.shelve(p.id, ctx.caller.name, p.reason, p.durationMs)
    },
    unshelveAlarm: async (p, ctx) => {
      m.batcher.flush()
      return m.alarms.unshelve(p.id, ctx.caller.name, p.note)
    },
    setAlarmService: async (p, ctx) => {
      m.batcher.flush()
      return m.alarms.setService(p.id, ctx.caller.name, p.inService, p.note)
    },
    saveAlarmDefinition: async (p, ctx) => {
      const { view, before } = m.alarms.saveDefinition(ctx.caller.name, p.definition)
      audit(m, ctx, {
        action: 'alarm-definition-saved',
        target: `alarm:${view.id}`,
        before,
        after: view.definition,
      })
      return view
    },
    deleteAlarmDefinition: async ({ id }, ctx) => {
      const before = m.alarms.deleteDefinition(ctx.caller.name, id)
      audit(m, ctx, { action: 'alarm-definition-deleted', target: `alarm:${id}`, before })
      return { id }
    },
    queryAlarmJournal: async (p) => m.alarms.queryJournal(p),
    getAlarmKpis: async (p) => m.alarms.kpis(p.from, p.to),
    listAnomalyEvents: async (p) => m.alarms.events(p.from, p.to, p.limit),
    getAnomalyEvent: async ({ id }) => m.alarms.event(id),
  }
}
