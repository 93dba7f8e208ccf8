// The adapted score: each sensor's reconstruction error judged against that sensor's own recent
// level instead of only against the training range.
//
// Why: a model trained on a stretch of normal operation scores every later state it never saw as
// abnormal, including the slow, harmless drift of normal running (temperatures that settle at a
// new level after a disturbance, a day's warming). Those scores stay high for as long as the
// drift lasts and make most of the false alarms. Following slow drift per sensor keeps a drifting
// temperature from raising the alarm and from dulling the other sensors, as one shared baseline
// would.
//
// How: per sensor, the baseline is the 30th percentile of that sensor's error over the last
// `windowBuckets` buckets (one bucket = the mean of `bucketRows` rows), never below the sensor's
// median validation error (its reference). The adapted score rescales each sensor's error by
// reference / baseline and averages, so it is in the raw score's units and equals it while
// nothing has drifted (the calibrated threshold applies to both). The window starts full of the
// reference, so the baseline moves only once a higher level has filled 70 % of the window: an
// abrupt fault is flagged at once and is not followed for 0.7 × the window.
//
// Bound: the adapted score is never below raw / maxRise. However long a fault lasts, once its raw
// score is above maxRise × threshold it stays flagged; only weaker deviations can be absorbed,
// and only after 0.7 × the window. The baseline keeps following while the score is flagged: a
// freeze was measured to keep the settling after a fault flagged for as long as it lasts (see
// README, Anomaly model).

/** The percentile of recent errors taken as a sensor's baseline (0..1). */
export const BASELINE_QUANTILE = 0.3

export interface DriftBaselineOptions {
  /** Each sensor's median validation error (scaled units, > 0): its floor and reference. */
  reference: readonly number[]
  /** Rows averaged into one bucket of the baseline's window (≥ 1). */
  bucketRows: number
  /** Buckets in the window the percentile is taken over (≥ 1). */
  windowBuckets: number
  /** The adapted score is never below the raw score divided by this (≥ 1). */
  maxRise: number
}

/** What one row gives. */
export interface AdaptedRow {
  /** The raw score: the mean of the sensors' errors. */
  raw: number
  /** The score against each sensor's recent baseline, raw units. */
  adapted: number
}

/** Sorted values of a fixed-size window, with the arrival order kept to evict the oldest. */
class SortedWindow {
  private readonly sorted: Float64Array
  private readonly ring: Float64Array
  private pos = 0

  constructor(size: number, fill: number) {
    this.sorted = new Float64Array(size).fill(fill)
    this.ring = new Float64Array(size).fill(fill)
  }

  /** Replaces the oldest value with `x`. O(size) memmove, O(log size) search. */
  push(x: number): void {
    const old = this.ring[this.pos]!
    this.ring[this.pos] = x
    this.pos = (this.pos + 1) % this.ring.length
    const s = this.sorted
    const at = lowerBound(s, old, s.length)
    // Remove `old`, then insert `x` keeping the order, with one shift between the two places.
    const to = lowerBound(s, x, s.length)
    if (to <= at) {
      s.copyWithin(to + 1, to, at)
      s[to] = x
    } else {
      s.copyWithin(at, at + 1, to)
      s[to - 1] = x
    }
  }

  quantile(q: number): number {
    return this.sorted[Math.floor(q * (this.sorted.length - 1))]!
  }
}

function lowerBound(a: Float64Array, x: number, n: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Follows each sensor's error level; push one row of per-sensor errors at a time. */
export class DriftBaseline {
  readonly cols: number
  private readonly reference: Float64Array
  private readonly windows: SortedWindow[]
  private readonly baseline: Float64Array
  private readonly bucketSum: Float64Array
  private bucketCount = 0

  constructor(private readonly o: DriftBaselineOptions) {
    if (!Number.isInteger(o.bucketRows) || o.bucketRows < 1) {
      throw new Error(`bucketRows must be a whole number ≥ 1, not ${o.bucketRows}`)
    }
    if (!Number.isInteger(o.windowBuckets) || o.windowBuckets < 1) {
      throw new Error(`windowBuckets must be a whole number ≥ 1, not ${o.windowBuckets}`)
    }
    if (!(o.maxRise >= 1)) throw new Error(`maxRise must be ≥ 1, not ${o.maxRise}`)
    this.cols = o.reference.length
    // A sensor the model rebuilt perfectly on validation still needs a positive reference.
    const finite = o.reference.filter((v) => Number.isFinite(v) && v > 0)
    const floor = finite.length ? 1e-6 * Math.max(...finite) : 1e-12
    this.reference = Float64Array.from(o.reference, (v) =>
      Number.isFinite(v) && v > floor ? v : floor,
    )
    this.windows = Array.from(this.reference, (r) => new SortedWindow(o.windowBuckets, r))
    this.baseline = Float64Array.from(this.reference)
    this.bucketSum = new Float64Array(this.cols)
  }

  /**
   * Scores one row from its per-sensor errors (count = cols, scaled units), then lets them into
   * the baseline. `shares`, when given, receives each sensor's share of the adapted score. A row
   * with a missing error gives NaN and leaves the baseline as it is.
   */
  push(errors: ArrayLike<number>, shares?: Float32Array | Float64Array): AdaptedRow {
    const cols = this.cols
    let raw = 0
    let adapted = 0
    for (let c = 0; c < cols; c++) {
      const e = errors[c]!
      if (!Number.isFinite(e)) {
        shares?.fill(NaN)
        return { raw: NaN, adapted: NaN }
      }
      const a = (e * this.reference[c]!) / this.baseline[c]!
      if (shares) shares[c] = a
      raw += e
      adapted += a
    }
    if (shares)
      for (let c = 0; c < cols; c++) shares[c] = adapted > 0 ? shares[c]! / adapted : 1 / cols
    raw /= cols
    adapted = Math.max(adapted / cols, raw / this.o.maxRise)
    for (let c = 0; c < cols; c++) this.bucketSum[c]! += errors[c]!
    if (++this.bucketCount === this.o.bucketRows) this.closeBucket()
    return { raw, adapted }
  }

  /** How far each sensor's baseline has risen above its reference (1 = not at all). */
  rise(): number[] {
    return Array.from(this.baseline, (b, c) => b / this.reference[c]!)
  }

  private closeBucket(): void {
    for (let c = 0; c < this.cols; c++) {
      const w = this.windows[c]!
      w.push(this.bucketSum[c]! / this.bucketCount)
      this.baseline[c] = Math.max(this.reference[c]!, w.quantile(BASELINE_QUANTILE))
    }
    this.bucketSum.fill(0)
    this.bucketCount = 0
  }
}
