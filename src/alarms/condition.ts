/**
 * The process condition of each kind of alarm, before the on/off delays (the state machine applies
 * those). Pure: the previous condition is passed in, so the deadband gives hysteresis: a value
 * hovering around a limit activates once and stays active until it comes back past the deadband.
 */
import type { LimitLevel, SourceCondition } from '../contract'

export interface LimitConditionDef {
  level: LimitLevel
  limit: number
  /** In the sensor's unit: how far back inside the limit the value must come to clear. */
  deadband: number
}

/** A usable deadband: non-finite or negative counts as none. */
const band = (deadband: number): number =>
  Number.isFinite(deadband) && deadband > 0 ? deadband : 0

/**
 * HH/H: active when value > limit; once active, clears only when value < limit - deadband.
 * L/LL mirrored: active when value < limit; clears only when value > limit + deadband.
 * A missing (NaN) or non-finite value changes nothing.
 */
export function limitCondition(def: LimitConditionDef, value: number, wasActive: boolean): boolean {
  if (!Number.isFinite(value)) return wasActive
  const db = band(def.deadband)
  if (def.level === 'HH' || def.level === 'H') {
    return wasActive ? value >= def.limit - db : value > def.limit
  }
  return wasActive ? value <= def.limit + db : value < def.limit
}

export interface ModelConditionInput {
  /** The smoothed anomaly score. */
  smoothed: number
  threshold: number
  /** The scorer's verdict, smoothing and minimum duration already applied. */
  anomalous: boolean
}

/**
 * Activates when the scorer says anomalous; once active, stays active while the smoothed score is
 * at least threshold × (1 - deadband). A non-finite score or threshold changes nothing.
 */
export function modelCondition(
  def: { deadband: number },
  s: ModelConditionInput,
  wasActive: boolean,
): boolean {
  if (s.anomalous) return true
  if (!wasActive) return false
  if (!Number.isFinite(s.smoothed) || !Number.isFinite(s.threshold)) return wasActive
  const db = Math.min(band(def.deadband), 1)
  return s.smoothed >= s.threshold * (1 - db)
}

export interface SourceConditionDef {
  condition: SourceCondition
  /** For `no-answer`: the slave watched. */
  slaveId?: number
  /** For `stale`: no sample for this long. */
  staleAfterMs: number
}

export interface SourceStatus {
  state: 'starting' | 'running' | 'reconnecting' | 'stopped' | 'error'
  lastSampleAt: number | null
  startedAt: number
  /** Modbus: each slave and whether it answers. */
  slaves?: readonly { slaveId: number; answering: boolean }[]
}

/**
 * disconnected: the source is reconnecting or in error. stale: the source runs but its last sample
 * (or, before the first one, its start) is older than staleAfterMs. no-answer: the source runs
 * (other slaves answer) but this slave does not; when none answers the source is in error and
 * `disconnected` says so once, instead of one alarm per slave. A stopped source is never a
 * condition: its alarms are suppressed instead.
 */
export function sourceCondition(def: SourceConditionDef, s: SourceStatus, now: number): boolean {
  if (def.condition === 'disconnected') return s.state === 'reconnecting' || s.state === 'error'
  if (s.state !== 'running') return false
  if (def.condition === 'no-answer') {
    return s.slaves?.some((x) => x.slaveId === def.slaveId && !x.answering) ?? false
  }
  return now - (s.lastSampleAt ?? s.startedAt) > def.staleAfterMs
}
