import type {
  BuiltInModelAlarmName,
  BuiltInSlaveAlarmName,
  BuiltInSourceAlarmSuffix,
} from '@vigil/contract'

// Copies of the core's names; the contract's types keep them equal.
const MODEL_NAME: BuiltInModelAlarmName = 'Anomaly detected by the model'
const SOURCE_SUFFIX: BuiltInSourceAlarmSuffix = {
  disconnected: ': disconnected',
  stale: ': no new data',
}

const slaveAlarmName = (source: string, slave: number): BuiltInSlaveAlarmName =>
  `${source}: slave ${slave} not answering`

/** A name the core gave by itself, to be worded in the user's language. */
export type BuiltInName =
  | { key: 'model' }
  | { key: 'disconnected' | 'stale'; source: string }
  | { key: 'no-answer'; source: string; slave: number }

/**
 * Recognises the model alarm and the source-health alarms while they still carry the name the
 * core gave them; a name an engineer chose is shown as written (null).
 */
export function builtInName(alarmId: string, name: string): BuiltInName | null {
  if (alarmId === 'model') return name === MODEL_NAME ? { key: 'model' } : null
  if (!alarmId.startsWith('source.')) return null
  const slaveOf = /\.no-answer\.(\d+)$/.exec(alarmId)
  if (slaveOf) {
    const slave = Number(slaveOf[1])
    const suffix = slaveAlarmName('', slave)
    if (!name.endsWith(suffix) || name.length <= suffix.length) return null
    return { key: 'no-answer', source: name.slice(0, -suffix.length), slave }
  }
  for (const key of ['disconnected', 'stale'] as const) {
    const suffix = SOURCE_SUFFIX[key]
    if (alarmId.endsWith(`.${key}`) && name.endsWith(suffix) && name.length > suffix.length)
      return { key, source: name.slice(0, -suffix.length) }
  }
  return null
}
