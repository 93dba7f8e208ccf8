/**
 * The newest min/max bucket of a trend, still filling with live samples. It owns the last one
 * or two points of the buffer: one while min and max are the same sample, else two, in the
 * order they happened, so a live bucket looks like the host's history buckets.
 */
export interface OpenBucket {
  /** Bucket number on the grid: `floor((t - origin) / bucketMs)`. */
  index: number
  min: number
  tMin: number
  max: number
  tMax: number
  slots: 1 | 2
}

interface BucketedPoints {
  t: number[]
  v: (number | null)[]
  bucketMs: number
  bucketOrigin: number
  open: OpenBucket | null
}

/**
 * Folds a sample into the open bucket when it belongs there: constant work per sample, only
 * the buffer's tail is rewritten. Returns false when the sample starts a new bucket.
 */
export function mergeIntoBucket(buf: BucketedPoints, t: number, value: number): boolean {
  const open = buf.open
  if (!open || Math.floor((t - buf.bucketOrigin) / buf.bucketMs) !== open.index) return false
  if (value < open.min) {
    open.min = value
    open.tMin = t
  } else if (value > open.max) {
    open.max = value
    open.tMax = t
  } else {
    return true
  }
  writeOpen(buf, open)
  return true
}

function writeOpen(buf: BucketedPoints, open: OpenBucket): void {
  buf.t.length -= open.slots
  buf.v.length -= open.slots
  if (open.tMin === open.tMax) {
    buf.t.push(open.tMin)
    buf.v.push(open.min)
    open.slots = 1
    return
  }
  const minFirst = open.tMin < open.tMax
  buf.t.push(minFirst ? open.tMin : open.tMax, minFirst ? open.tMax : open.tMin)
  buf.v.push(minFirst ? open.min : open.max, minFirst ? open.max : open.min)
  open.slots = 2
}

/**
 * The last bucket of a min/max history, to keep filling with live samples: the history ends
 * at the moment of the query, so its last bucket is usually incomplete. Null when the tail is
 * a gap.
 */
export function openBucketFromTail(
  t: readonly number[],
  v: readonly (number | null)[],
  bucketMs: number,
  origin: number,
): OpenBucket | null {
  const n = t.length
  const last = n ? v[n - 1] : null
  if (last === null || last === undefined) return null
  const index = Math.floor((t[n - 1] - origin) / bucketMs)
  const prev = n >= 2 ? v[n - 2] : null
  if (prev === null || prev === undefined || Math.floor((t[n - 2] - origin) / bucketMs) !== index) {
    return { index, min: last, tMin: t[n - 1], max: last, tMax: t[n - 1], slots: 1 }
  }
  const prevIsMin = prev <= last
  return {
    index,
    min: prevIsMin ? prev : last,
    tMin: prevIsMin ? t[n - 2] : t[n - 1],
    max: prevIsMin ? last : prev,
    tMax: prevIsMin ? t[n - 1] : t[n - 2],
    slots: 2,
  }
}
