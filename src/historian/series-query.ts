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
  from: number
  to: number
  bucket: number
}

/** A raw gap is a silence longer than this many sampling periods. */
const GAP_PERIODS = 3

/**
 * Range queries for charts. Returns every sample when they fit in `maxPoints`; otherwise each
 * time bucket gives its minimum and its maximum (in the order they happened), so peaks stay
 * visible at any zoom. Periods with no data come back as `null` values: gaps, never lines.
 */
export class SeriesQuery {
  private readonly raw
  private readonly buckets

  constructor(db: Db) {
    this.raw = db.prepare<[number, number, number, number], RawRow>(
      'SELECT t, value FROM samples WHERE sensor = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?',
    )
    // SQLite's bare-column rule gives the time of the row holding a lone MIN() or MAX(), so the
    // two extremes come from two grouped scans joined by bucket.
    const grouped = (agg: 'MIN' | 'MAX', v: string, tv: string) => `
      SELECT CAST((t - @from) / @bucket AS INTEGER) AS b, ${agg}(value) AS ${v}, t AS ${tv}
      FROM samples WHERE sensor = @sensor AND t >= @from AND t < @to GROUP BY b`
    this.buckets = db.prepare<[BucketParams], BucketRow>(
      `SELECT b, lo, tLo, hi, tHi FROM (${grouped('MIN', 'lo', 'tLo')}) JOIN (${grouped('MAX', 'hi', 'tHi')}) USING (b) ORDER BY b`,
    )
  }

  query(
    sensorKey: number | undefined,
    sensorId: string,
    from: number,
    to: number,
    maxPoints: number,
    periodMs: number,
  ): Series {
    if (sensorKey === undefined) return { sensorId, resolution: 'raw', bucketMs: 0, t: [], v: [] }
    const rows = this.raw.all(sensorKey, from, to, maxPoints + 1)
    if (rows.length <= maxPoints) return rawSeries(sensorId, rows, periodMs)
    const bucketMs = Math.max(1, Math.ceil((to - from) / Math.floor(maxPoints / 2)))
    return minMaxSeries(
      sensorId,
      this.buckets.all({ sensor: sensorKey, from, to, bucket: bucketMs }),
      from,
      bucketMs,
    )
  }
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

function minMaxSeries(sensorId: string, rows: BucketRow[], from: number, bucketMs: number): Series {
  const t: number[] = []
  const v: (number | null)[] = []
  let prevB: number | null = null
  for (const r of rows) {
    const start = from + r.b * bucketMs
    if (prevB !== null && r.b - prevB > 1) {
      t.push(from + (prevB + 1) * bucketMs)
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
