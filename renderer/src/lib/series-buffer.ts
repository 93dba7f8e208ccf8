import { mergeIntoBucket, openBucketFromTail, type OpenBucket } from './minmax-bucket'

/**
 * One sensor's points for a chart, kept as the plain arrays uPlot reads, so appending a live
 * sample is a push and drawing needs no copy. Not reactive on purpose: Vue proxies on
 * thousands of points would cost more than the chart itself.
 */
export interface SeriesBuffer {
  t: number[]
  v: (number | null)[]
  /** A step larger than this between two points is a gap in the data. */
  gapMs: number
  /** Bumped on every change, so a chart knows whether it has something new to draw. */
  version: number
  /**
   * Width of the min/max buckets live samples are merged into; 0 keeps every sample. A long
   * range would otherwise pile up one point per sample until the window is full.
   */
  bucketMs: number
  /** Where bucket 0 starts (see {@link gridOrigin}), so live buckets continue the history's grid. */
  bucketOrigin: number
  /** The newest bucket; its points are the last ones in `t`/`v` and live samples update them. */
  open: OpenBucket | null
  /** The newest sample taken in, so a sample the buffer already holds is dropped. */
  lastT: number
}

/** Several missed samples in a row count as a gap rather than jitter in the sampling period. */
const GAP_PERIODS = 3

export function createBuffer(periodMs: number): SeriesBuffer {
  return {
    t: [],
    v: [],
    gapMs: GAP_PERIODS * periodMs,
    version: 0,
    bucketMs: 0,
    bucketOrigin: 0,
    open: null,
    lastT: -Infinity,
  }
}

/** How live samples are to be merged after a history load: bucket width and grid origin. */
export interface LiveBuckets {
  bucketMs: number
  origin: number
}

/**
 * Replaces the content with history from the host. A coarse (min/max bucketed) history makes
 * the step between points larger, so the gap threshold follows the bucket size. With `live`
 * buckets, later samples are folded into buckets of that width on the same grid; the history's
 * last bucket stays open when it is on that grid, as it may still be filling.
 */
export function replaceWith(
  buf: SeriesBuffer,
  t: readonly number[],
  v: readonly (number | null)[],
  bucketMs: number,
  live: LiveBuckets = { bucketMs: 0, origin: 0 },
): void {
  buf.t = t.slice()
  buf.v = v.slice()
  buf.gapMs = Math.max(buf.gapMs, 2 * bucketMs, 2 * live.bucketMs)
  buf.bucketMs = live.bucketMs
  buf.bucketOrigin = live.origin
  buf.open =
    live.bucketMs > 0 && live.bucketMs === bucketMs
      ? openBucketFromTail(buf.t, buf.v, live.bucketMs, live.origin)
      : null
  buf.lastT = buf.t.length ? buf.t[buf.t.length - 1] : -Infinity
  buf.version++
}

/**
 * Takes in one live sample. Samples at or before the newest one taken in are dropped; after a
 * silence a `null` is inserted so uPlot draws a break instead of a straight line across the
 * missing time. In bucket mode the sample only moves the open bucket's min or max.
 */
export function appendSample(buf: SeriesBuffer, t: number, value: number): boolean {
  if (t <= buf.lastT) return false
  const n = buf.t.length
  const last = n ? buf.t[n - 1] : -Infinity
  buf.lastT = t
  if (buf.bucketMs > 0 && mergeIntoBucket(buf, t, value)) {
    buf.version++
    return true
  }
  if (n && t - last > buf.gapMs) {
    buf.t.push(last + 1)
    buf.v.push(null)
  }
  if (buf.bucketMs > 0) {
    const index = Math.floor((t - buf.bucketOrigin) / buf.bucketMs)
    buf.open = { index, min: value, tMin: t, max: value, tMax: t, slots: 1 }
  }
  buf.t.push(t)
  buf.v.push(value)
  buf.version++
  return true
}

/** Drops points older than `cutoff` (the left edge of the visible range). */
export function trimBefore(buf: SeriesBuffer, cutoff: number): void {
  let lo = 0
  let hi = buf.t.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (buf.t[mid] < cutoff) lo = mid + 1
    else hi = mid
  }
  // Keep one point before the edge so the line enters the chart instead of starting inside it.
  const drop = Math.max(0, lo - 1)
  if (drop === 0) return
  buf.t.splice(0, drop)
  buf.v.splice(0, drop)
  // The open bucket's points are the last ones; losing any of them closes it.
  if (buf.open && buf.t.length < buf.open.slots) buf.open = null
  buf.version++
}

/** The newest non-null point, or null when the buffer holds no value. */
export function lastPoint(buf: SeriesBuffer): { t: number; v: number } | null {
  for (let i = buf.t.length - 1; i >= 0; i--) {
    const v = buf.v[i]
    if (v !== null && v !== undefined) return { t: buf.t[i], v }
  }
  return null
}

/**
 * Where the bucket grid of a history starts. The host lines its chart buckets up with the stored
 * rollups (whole minutes or hours), not with the start of the query, and a history's first
 * point opens its first bucket; without buckets the query's start will do.
 */
export function gridOrigin(t: readonly number[], bucketMs: number, from: number): number {
  return bucketMs > 0 && t.length ? t[0] : from
}

/**
 * The bucket width for live samples: the history's own, or, when the history came back raw
 * only because little was stored yet, the width the host would use once the range fills up.
 */
export function liveBucketMs(
  historyBucketMs: number,
  rangeMs: number,
  maxPoints: number,
  periodMs: number,
): number {
  if (historyBucketMs > 0) return historyBucketMs
  if (rangeMs / periodMs <= maxPoints) return 0
  return Math.max(1, Math.ceil(rangeMs / Math.floor(maxPoints / 2)))
}
