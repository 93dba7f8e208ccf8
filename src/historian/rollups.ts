import type { Db } from './open-database'

/** The resolutions kept beside the raw samples. */
export const ROLLUP_LEVELS = [
  { name: '1m', table: 'rollup_1m', ms: 60_000 },
  { name: '1h', table: 'rollup_1h', ms: 3_600_000 },
] as const
export type RollupLevel = (typeof ROLLUP_LEVELS)[number]

/** The aggregate of one sensor over one bucket. */
export interface Aggregate {
  sensor: number
  bucket: number
  n: number
  sum: number
  min: number
  tMin: number
  max: number
  tMax: number
  last: number
  tLast: number
}

/** Sensor keys stay below this, so (bucket index, sensor) packs into one exact number. */
const SENSOR_SPACE = 1_048_576

/** Folds samples (or finer aggregates) into per-sensor buckets of one width, in memory. */
export class RollupAccumulator {
  private readonly aggs = new Map<number, Aggregate>()
  /** The bucket each sensor wrote last: samples mostly arrive in time order, so this skips the map. */
  private readonly recent: (Aggregate | undefined)[] = []

  constructor(readonly bucketMs: number) {}

  get size(): number {
    return this.aggs.size
  }

  add(sensor: number, t: number, v: number): void {
    const bucket = t - (t % this.bucketMs)
    const key = (bucket / this.bucketMs) * SENSOR_SPACE + sensor
    const a = this.aggs.get(key)
    if (!a) {
      this.aggs.set(key, {
        sensor,
        bucket,
        n: 1,
        sum: v,
        min: v,
        tMin: t,
        max: v,
        tMax: t,
        last: v,
        tLast: t,
      })
      return
    }
    a.n++
    a.sum += v
    if (v < a.min || (v === a.min && t < a.tMin)) {
      a.min = v
      a.tMin = t
    }
    if (v > a.max || (v === a.max && t < a.tMax)) {
      a.max = v
      a.tMax = t
    }
    if (t >= a.tLast) {
      a.last = v
      a.tLast = t
    }
  }

  /** Folds a finer aggregate in (1-minute into 1-hour), so each sample is looked at once. */
  merge(f: Aggregate): void {
    const bucket = f.bucket - (f.bucket % this.bucketMs)
    const key = (bucket / this.bucketMs) * SENSOR_SPACE + f.sensor
    const a = this.aggs.get(key)
    if (!a) {
      this.aggs.set(key, { ...f, bucket })
      return
    }
    mergeInto(a, f)
  }

  /** Hands out everything gathered and starts empty. */
  drain(): Aggregate[] {
    const out = [...this.aggs.values()]
    this.aggs.clear()
    this.recent.length = 0
    return out
  }
}

function mergeInto(a: Aggregate, f: Aggregate): void {
  a.n += f.n
  a.sum += f.sum
  if (f.min < a.min || (f.min === a.min && f.tMin < a.tMin)) {
    a.min = f.min
    a.tMin = f.tMin
  }
  if (f.max > a.max || (f.max === a.max && f.tMax < a.tMax)) {
    a.max = f.max
    a.tMax = f.tMax
  }
  if (f.tLast >= a.tLast) {
    a.last = f.last
    a.tLast = f.tLast
  }
}

/**
 * Writes aggregates into a rollup table, merging with what is stored (late and out-of-order
 * samples land in old buckets). Returns how many new bucket rows were created.
 */
export class RollupWriter {
  private readonly insert
  private readonly update

  constructor(db: Db, level: RollupLevel) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO ${level.table} (sensor, bucket, n, sum, min, t_min, max, t_max, last, t_last)
       VALUES (@sensor, @bucket, @n, @sum, @min, @tMin, @max, @tMax, @last, @tLast)`,
    )
    // In an UPDATE every expression sees the row as it was, so the order of SET terms is free.
    this.update = db.prepare(
      `UPDATE ${level.table} SET
         n = n + @n,
         sum = sum + @sum,
         t_min = CASE WHEN @min < min OR (@min = min AND @tMin < t_min) THEN @tMin ELSE t_min END,
         min = MIN(min, @min),
         t_max = CASE WHEN @max > max OR (@max = max AND @tMax < t_max) THEN @tMax ELSE t_max END,
         max = MAX(max, @max),
         last = CASE WHEN @tLast >= t_last THEN @last ELSE last END,
         t_last = MAX(t_last, @tLast)
       WHERE sensor = @sensor AND bucket = @bucket`,
    )
  }

  write(aggs: readonly Aggregate[]): number {
    let created = 0
    for (const a of aggs) {
      if (this.insert.run(a).changes > 0) created++
      else this.update.run(a)
    }
    return created
  }
}
