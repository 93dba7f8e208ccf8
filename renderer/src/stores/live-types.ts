import type { LimitState } from '../lib/format'
import type { TrendDirection } from '../lib/trend'

/** The ranges an operator can pick, in milliseconds. */
export const RANGES = {
  m1: 60_000,
  m5: 5 * 60_000,
  m15: 15 * 60_000,
  h1: 60 * 60_000,
  h8: 8 * 60 * 60_000,
  h24: 24 * 60 * 60_000,
  d7: 7 * 24 * 60 * 60_000,
  d30: 30 * 24 * 60 * 60_000,
  y1: 365 * 24 * 60 * 60_000,
} as const

export type RangeKey = keyof typeof RANGES

/** What a panel shows beside its chart: the newest value and its context. */
export interface Reading {
  value: number | null
  t: number | null
  trend: TrendDirection
  limit: LimitState
  /** No sample for several periods: the value on screen is no longer current. */
  stale: boolean
}
