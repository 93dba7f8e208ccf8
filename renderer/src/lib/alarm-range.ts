/** The time range presets of the journal and the KPIs. */
export type AlarmRange = 'h1' | 'h8' | 'h24' | 'd7'
export const ALARM_RANGES: readonly AlarmRange[] = ['h1', 'h8', 'h24', 'd7']

const HOUR = 3_600_000
export const RANGE_MS: Record<AlarmRange, number> = {
  h1: HOUR,
  h8: 8 * HOUR,
  h24: 24 * HOUR,
  d7: 7 * 24 * HOUR,
}

/** The range ending now (host time). */
export function rangeEndingAt(range: AlarmRange, now: number): { from: number; to: number } {
  return { from: Math.max(0, now - RANGE_MS[range]), to: now }
}

/** EEMUA 191: alarms per 10 minutes an operator can handle. */
export const EEMUA_PER_TEN_MIN = { target: 1, manageable: 2 } as const

/** How an alarm rate compares with EEMUA 191: within target, manageable, or overloaded. */
export function rateVerdict(perTenMinutes: number): 'target' | 'manageable' | 'overloaded' {
  if (perTenMinutes <= EEMUA_PER_TEN_MIN.target) return 'target'
  if (perTenMinutes <= EEMUA_PER_TEN_MIN.manageable) return 'manageable'
  return 'overloaded'
}

/** Shelving durations offered, in minutes. */
export const SHELVE_MINUTES = [15, 60, 240, 480, 1440] as const
