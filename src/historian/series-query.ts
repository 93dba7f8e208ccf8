import type { Statement } from 'better-sqlite3'
import type { Series } from '../contract'
import type { Db } from './open-database'

interface RawRow {
  t: number
  value: number
}
interface BucketRow {
  b: number
  lo: number
  tLo: number
  hi: number
  tHi: number
}
interface BucketParams {
  sensor: number
  /** Start of the chart-bucket grid: the start of the stored bucket holding `from`. */
  origin: number
  to: number
  bucket: number
}

/** Where each resolution's data begins, after retention. `null`: kept forever. */
export interface Horizons {
  raw: number | null
  '1m': number | null
  '1h': number | null
}

type Level = 'raw' | '1m' | '1h'

/** A raw gap is a silence longer than this many sampling periods. */
const GAP_PERIODS = 3
/** Try the raw samples first when the estimate is at most this much above the points asked for. */
const RAW_TRY_FACTOR = 1.5

const LEVEL_MS: Record<Level, number> = { raw: 0, '1m': 60_000, '1h': 3_600_000 }

/**
 * Chooses the data that answers a chart: the raw samples when they fit in `maxPoints`;
 * otherwise the coarsest stored resolution (raw, 1-minute, 1-hour) no wider than one chart
 * bucket and still kept for the start of the range. Each chart bucket gives its minimum and its
 * maximum in the order they happened, so peaks stay visible at any zoom. Periods with no data
 * come back as `null`: gaps, never lines.
 */
export class SeriesQuery {
  private readonly raw
  private readonly buckets: Record<Level, Statement<[BucketParams], BucketRow>>

  constructor(db: Db) {
    this.raw = db.prepare<[number, number, number, number], RawRow>(
      'SELECT t, value FROM samples WHERE sensor = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?',
    )
    // SQLite's bare-column rule gives the time of the row holding a lone MIN() or MAX(), so the
    // two extremes come from two grouped scans joined by bucket.
    const part = (
      table: string,
      tCol: string,
      agg: string,
      col: string,
      tOf: string,
      as: string,
    ) => `
      SELECT CAST((${tCol} - @origin) / @bucket AS INTEGER) AS b, ${agg}(${col}) AS ${as}, ${tOf} AS t_${as}
      FROM ${table} WHERE sensor = @sensor AND ${tCol} >= @origin AND ${tCol} < @to GROUP BY b`
    const grouped = (table: string, tCol: string, min: [string, string], max: [string, string]) =>
      db.prepare<[BucketParams], BucketRow>(
        `SELECT b, lo, t_lo AS tLo, hi, t_hi AS tHi
         FROM (${part(table, tCol, 'MIN', min[0], min[1], 'lo')})
         JOIN (${part(table, tCol, 'MAX', max[0], max[1], 'hi')}) USING (b) ORDER BY b`,
      )
    this.buckets = {
      raw: grouped('samples', 't', ['value', 't'], ['value', 't']),
      '1m': grouped('rollup_1m', 'bucket', ['min', 't_min'], ['max', 't_max']),
      '1h': grouped('rollup_1h', 'bucket', ['min', 't_min'], ['max', 't_max']),
    }
  }

  query(
    sensorKey: number | undefined,
    sensorId: string,
    range: { from: number; to: number; maxPoints: number },
    periodMs: number,
    horizons: Horizons,
  ): Series {
    const { from, to, maxPoints } = range
    if (sensorKey === undefined) return { sensorId, resolution: 'raw', bucketMs: 0, t: [], v: [] }
    const inRawHorizon = horizons.raw === null || from >= horizons.raw
    if (inRawHorizon && (to - from) / periodMs <= maxPoints * RAW_TRY_FACTOR) {
      const rows = this.raw.all(sensorKey, from, to, maxPoints + 1)
      if (rows.length <= maxPoints) return rawSeries(sensorId, rows, periodMs)
    }
    const buckets = Math.floor(maxPoints / 2)
    const level = pickLevel(Math.ceil((to - from) / buckets), from, horizons)
    // Chart buckets are whole multiples of the stored buckets, on the same grid, so every stored
    // bucket falls in exactly one chart bucket and no extreme is split or lost. The grid starts
    // at the stored bucket holding `from`.
    const levelMs = LEVEL_MS[level] || 1
    const origin = from - (from % levelMs)
    const bucketMs = Math.ceil((to - origin) / buckets / levelMs) * levelMs
    const rows = this.buckets[level].all({ sensor: sensorKey, origin, to, bucket: bucketMs })
    return minMaxSeries(sensorId, rows, origin, bucketMs)
  }
}

/** The coarsest resolution no wider than a chart bucket, moved coarser if retention removed it. */
export function pickLevel(bucketMs: number, from: number, horizons: Horizons): Level {
  const order: Level[] = ['raw', '1m', '1h']
  let i = 0
  while (i + 1 < order.length && LEVEL_MS[order[i + 1] as Level] <= bucketMs) i++
  while (i + 1 < order.length) {
    const horizon = horizons[order[i] as Level]
    if (horizon === null || from >= horizon) break
    i++
  }
  return order[i] as Level
}

function rawSeries(sensorId: string, rows: RawRow[], periodMs: number): Series {
  const t: number[] = []
  const v: (number | null)[] = []
  let prev: number | null = null
  for (const r of rows) {
    if (prev !== null && r.t - prev > GAP_PERIODS * periodMs) {
      t.push(prev + 1)
      v.push(null)
    }
    t.push(r.t)
    v.push(r.value)
    prev = r.t
  }
  return { sensorId, resolution: 'raw', bucketMs: 0, t, v }
}

function minMaxSeries(
  sensorId: string,
  rows: BucketRow[],
  origin: number,
  bucketMs: number,
): Series {
  const t: number[] = []
  const v: (number | null)[] = []
  let prevB: number | null = null
  for (const r of rows) {
    const start = origin + r.b * bucketMs
    if (prevB !== null && r.b - prevB > 1) {
      t.push(origin + (prevB + 1) * bucketMs)
      v.push(null)
    }
    // Two points per bucket keep both extremes visible at any zoom, in the order they happened,
    // placed at fixed offsets so the times stay increasing across buckets.
    const [first, second] = r.tHi < r.tLo ? [r.hi, r.lo] : [r.lo, r.hi]
    t.push(start)
    v.push(first)
    t.push(start + Math.floor(bucketMs / 2))
    v.push(second)
    prevB = r.b
  }
  return { sensorId, resolution: 'minmax', bucketMs, t, v }
}
