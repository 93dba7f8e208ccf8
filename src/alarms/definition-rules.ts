import {
  VigilError,
  type BuiltInModelAlarmName,
  type BuiltInSlaveAlarmName,
  type BuiltInSourceAlarmSuffix,
  type AlarmDefinition,
  type LimitAlarmDefinition,
  type ModelAlarmDefinition,
  type SourceAlarmDefinition,
  type SourceStatus,
} from '../contract'
import { MODEL_ALARM_ID, definitionId } from './definition-id'

/** The model alarm every installation has: high priority, clears 30 s after the score falls. */
export const DEFAULT_MODEL_ALARM: ModelAlarmDefinition = {
  id: MODEL_ALARM_ID,
  kind: 'model',
  name: 'Anomaly detected by the model' satisfies BuiltInModelAlarmName,
  priority: 'high',
  onDelayMs: 0,
  offDelayMs: 30_000,
  latch: false,
  deadband: 0.1,
}

const SOURCE_SUFFIX: BuiltInSourceAlarmSuffix = {
  disconnected: ': disconnected',
  stale: ': no new data',
}

/** The two health alarms created for each source the first time it is seen. */
export function defaultSourceAlarms(sourceId: string, sourceName: string): SourceAlarmDefinition[] {
  const base = { kind: 'source' as const, sourceId, onDelayMs: 0, latch: false }
  const disconnected = {
    ...base,
    condition: 'disconnected' as const,
    name: `${sourceName}${SOURCE_SUFFIX.disconnected}`,
    priority: 'medium' as const,
    onDelayMs: 5_000,
    offDelayMs: 5_000,
    staleAfterMs: 30_000,
  }
  const stale = {
    ...base,
    condition: 'stale' as const,
    name: `${sourceName}${SOURCE_SUFFIX.stale}`,
    priority: 'low' as const,
    offDelayMs: 0,
    staleAfterMs: 30_000,
  }
  return [
    { ...disconnected, id: definitionId(disconnected) },
    { ...stale, id: definitionId(stale) },
  ]
}

/**
 * The "no answer" alarm of each slave on a Modbus line, created the first time the slave is
 * seen: one slave that stops answering is worth an alarm even while the line as a whole works.
 */
export function defaultSlaveAlarms(
  sourceId: string,
  sourceName: string,
  slaveIds: readonly number[],
): SourceAlarmDefinition[] {
  return slaveIds.map((slaveId) => {
    const def = {
      kind: 'source' as const,
      sourceId,
      condition: 'no-answer' as const,
      slaveId,
      name: `${sourceName}: slave ${slaveId} not answering` satisfies BuiltInSlaveAlarmName,
      priority: 'medium' as const,
      onDelayMs: 5_000,
      offDelayMs: 5_000,
      latch: false,
      staleAfterMs: 30_000,
    }
    return { ...def, id: definitionId(def) }
  })
}

/**
 * The health alarms the sources need and do not have yet: a new source's two (unless it has
 * either already: an engineer may have changed one), and each slave's, also for a slave added
 * to a line later.
 */
export function missingSourceAlarms(
  statuses: Iterable<SourceStatus>,
  has: (id: string) => boolean,
): SourceAlarmDefinition[] {
  const missing: SourceAlarmDefinition[] = []
  for (const status of statuses) {
    const defs = defaultSourceAlarms(status.id, status.name)
    if (!defs.some((d) => has(d.id))) missing.push(...defs)
    const slaveIds = status.slaves?.map((s) => s.slaveId) ?? []
    missing.push(...defaultSlaveAlarms(status.id, status.name, slaveIds).filter((d) => !has(d.id)))
  }
  return missing
}

/** The source of a health alarm exists (and, for a slave's alarm, still polls that slave). */
export function watchesLiveSource(
  def: SourceAlarmDefinition,
  statuses: readonly SourceStatus[],
): boolean {
  const status = statuses.find((s) => s.id === def.sourceId)
  if (!status) return false
  if (def.condition !== 'no-answer') return true
  return status.slaves?.some((s) => s.slaveId === def.slaveId) ?? false
}

/** A slave is named by the "no answer" condition and by no other. */
export function checkSourceDefinition(def: SourceAlarmDefinition): void {
  if (def.condition === 'no-answer' && def.slaveId === undefined)
    throw new VigilError('INVALID_PARAMS', 'A "no answer" alarm needs the slave id it watches.', [
      'definition.slaveId: required for the no-answer condition',
    ])
  if (def.condition !== 'no-answer' && def.slaveId !== undefined)
    throw new VigilError('INVALID_PARAMS', 'Only a "no answer" alarm watches one slave.', [
      `definition.slaveId: not used by the ${def.condition} condition`,
    ])
}

const LEVEL_ORDER = { LL: 0, L: 1, H: 2, HH: 3 } as const

/**
 * A sensor's limits must be in order (LL ≤ L ≤ H ≤ HH): a limit that contradicts another of
 * the same sensor is refused with the field to fix.
 */
export function checkLimitOrder(
  def: LimitAlarmDefinition,
  others: readonly AlarmDefinition[],
): void {
  for (const o of others) {
    if (o.kind !== 'limit' || o.sensorId !== def.sensorId || o.id === def.id) continue
    const below = LEVEL_ORDER[o.level] < LEVEL_ORDER[def.level]
    if (below ? o.limit > def.limit : o.limit < def.limit) {
      const relation = below ? 'at or above' : 'at or below'
      throw new VigilError(
        'INVALID_PARAMS',
        `The ${def.level} limit must be ${relation} the ${o.level} limit (${o.limit}).`,
        [`definition.limit: must be ${relation} the ${o.level} limit (${o.limit})`],
      )
    }
  }
}

/** A short description of the settings, for the journal's note. */
export function describeDefinition(def: AlarmDefinition): string {
  const timing = `${def.priority}, on-delay ${def.onDelayMs / 1000} s, off-delay ${def.offDelayMs / 1000} s${def.latch ? ', latching' : ''}`
  switch (def.kind) {
    case 'limit':
      return `${def.sensorId} ${def.level} ${def.level.startsWith('H') ? '>' : '<'} ${def.limit} (deadband ${def.deadband}), ${timing}`
    case 'model':
      return `score above threshold (deadband ${Math.round(def.deadband * 100)} %), ${timing}`
    case 'source': {
      const detail =
        def.condition === 'stale'
          ? ` after ${def.staleAfterMs / 1000} s`
          : def.condition === 'no-answer'
            ? ` (slave ${def.slaveId ?? '?'})`
            : ''
      return `${def.sourceId} ${def.condition}${detail}, ${timing}`
    }
  }
}
