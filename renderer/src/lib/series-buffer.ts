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
}

/** Several missed samples in a row count as a gap rather than jitter in the sampling period. */
const GAP_PERIODS = 3

export function createBuffer(periodMs: number): SeriesBuffer {
  return { t: [], v: [], gapMs: GAP_PERIODS * periodMs, version: 0 }
}

/**
 * Replaces the content with history from the host. A coarse (min/max bucketed) history makes
 * the step between points larger, so the gap threshold follows the bucket size.
 */
export function replaceWith(
  buf: SeriesBuffer,
  t: readonly number[],
  v: readonly (number | null)[],
  bucketMs: number,
): void {
  buf.t = t.slice()
  buf.v = v.slice()
  buf.gapMs = Math.max(buf.gapMs, 2 * bucketMs)
  buf.version++
}

/**
 * Appends one live sample. Samples at or before the last point (already in the history) are
 * dropped; after a silence a `null` is inserted so uPlot draws a break instead of a straight
 * line across the missing time.
 */
export function appendSample(buf: SeriesBuffer, t: number, value: number): boolean {
  const n = buf.t.length
  const last = n ? buf.t[n - 1] : -Infinity
  if (t <= last) return false
  if (n && t - last > buf.gapMs) {
    buf.t.push(last + 1)
    buf.v.push(null)
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
