import type { SeriesBuffer } from './series-buffer'

export type TrendDirection = 'up' | 'down' | 'steady'

/** Looking back further than a minute makes the arrow lag what the operator sees. */
export const TREND_WINDOW_MS = 60_000

/**
 * Direction of the least-squares slope over the last `windowMs`, projected over that window.
 * A change smaller than `deadband` counts as steady, so noise does not flip the arrow.
 */
export function trendDirection(
  buf: SeriesBuffer,
  deadband: number,
  windowMs = TREND_WINDOW_MS,
): TrendDirection {
  const n = buf.t.length
  if (n < 3) return 'steady'
  const end = buf.t[n - 1]
  let count = 0
  let sumT = 0
  let sumV = 0
  let sumTT = 0
  let sumTV = 0
  for (let i = n - 1; i >= 0 && end - buf.t[i] <= windowMs; i--) {
    const v = buf.v[i]
    if (v === null || v === undefined) continue
    // Relative time keeps the sums small enough for doubles to stay exact.
    const t = buf.t[i] - end
    count++
    sumT += t
    sumV += v
    sumTT += t * t
    sumTV += t * v
  }
  const denom = count * sumTT - sumT * sumT
  // A few seconds of data cannot tell a trend from noise.
  if (count < 3 || denom === 0 || -sumT / count < windowMs / 6) return 'steady'
  const slope = (count * sumTV - sumT * sumV) / denom
  const change = slope * windowMs
  if (Math.abs(change) <= deadband) return 'steady'
  return change > 0 ? 'up' : 'down'
}

/**
 * A trend worth an arrow: 5 % of the normal span per window (well above the noise of a healthy
 * signal), or 2 % of the value when no range is set.
 */
export function trendDeadband(
  normalMin: number | null,
  normalMax: number | null,
  value: number,
): number {
  if (normalMin !== null && normalMax !== null && normalMax > normalMin) {
    return 0.05 * (normalMax - normalMin)
  }
  return Math.max(0.02 * Math.abs(value), 1e-9)
}
