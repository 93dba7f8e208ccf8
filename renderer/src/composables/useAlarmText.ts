import { useI18n } from 'vue-i18n'
import type { AlarmView, SourceAlarmDefinition } from '@vigil/contract'
import { alarmSensorId } from '../lib/alarm-list'
import { builtInName } from '../lib/alarm-names'
import { formatValue } from '../lib/format'
import { formatScore } from '../lib/model-scores'
import { useAlarmsStore } from '../stores/alarms'
import type { ActionOutcome } from '../stores/alarm-outcome'
import { useSessionStore } from '../stores/session'
import { useDuration } from './useDuration'
import { useLocale } from './useLocale'
import { useSensorName } from './useSensorName'

/** How an alarm is worded: where it is, its value, and what a failed action says. */
export function useAlarmText() {
  const { t } = useI18n()
  const { locale } = useLocale()
  const alarms = useAlarmsStore()
  const session = useSessionStore()
  const sensorName = useSensorName()
  const duration = useDuration()

  function sensorLabel(id: string | null): string {
    if (!id) return ''
    const s = alarms.sensorById.get(id)
    return s ? sensorName(s) : id
  }

  /** An alarm's name; the names the core gave by itself in the user's language. */
  function name(alarmId: string, given: string): string {
    const b = builtInName(alarmId, given)
    if (!b) return given
    if (b.key === 'model') return t('alarms.builtin.model')
    if (b.key === 'no-answer') return t('alarms.builtin.no-answer', b)
    return t(`alarms.builtin.${b.key}`, { source: b.source })
  }

  /** What a source alarm watches: disconnected, no data, or one slave not answering. */
  function condition(d: Pick<SourceAlarmDefinition, 'condition' | 'slaveId'>): string {
    return t(`alarms.condition.${d.condition}`, { slave: d.slaveId ?? '?' })
  }

  /** The sensor (limit), top contributor (model) or source (source) concerned. */
  function where(a: AlarmView): string {
    const d = a.definition
    if (d.kind === 'source') return `${d.sourceId} · ${condition(d)}`
    if (d.kind === 'model') {
      const top = alarmSensorId(a)
      return top ? `${t('alarms.active.model')} · ${sensorLabel(top)}` : t('alarms.active.model')
    }
    return `${sensorLabel(d.sensorId)} · ${d.level}`
  }

  /** The value at the last activation, in the sensor's unit and decimals. */
  function value(a: AlarmView): string {
    if (a.value === null) return '—'
    const d = a.definition
    if (d.kind === 'model') return formatScore(a.value, locale.value)
    if (d.kind === 'source') return t('alarms.active.age', { age: duration(a.value) })
    const s = alarms.sensorById.get(d.sensorId)
    return s
      ? `${formatValue(a.value, s.decimals, locale.value)} ${s.unit}`.trim()
      : String(a.value)
  }

  function failure(outcome: ActionOutcome<unknown>): string | null {
    if (outcome.ok) return null
    if (outcome.forbidden)
      return t('alarms.forbidden', { user: session.user ?? '', message: outcome.message })
    return t('alarms.actionFailed', { message: outcome.message })
  }

  return { name, sensorLabel, condition, where, value, failure }
}
