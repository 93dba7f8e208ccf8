/** A stretch of time on the trends, in epoch milliseconds: `from` inclusive, `to` exclusive. */
export interface TimeSpan {
  from: number
  to: number
}

/** Narrower than this, a drag is more likely a slipped click than a wish to see seconds. */
export const MIN_ZOOM_MS = 10_000

/**
 * The span to show for a drag between two times: widened around its middle to at least
 * `minMs`, and moved back so it does not end in the future, where there is nothing to see.
 */
export function zoomSpan(a: number, b: number, now: number, minMs = MIN_ZOOM_MS): TimeSpan {
  let from = Math.min(a, b)
  let to = Math.max(a, b)
  if (to - from < minMs) {
    const mid = (from + to) / 2
    from = mid - minMs / 2
    to = mid + minMs / 2
  }
  return keepInPast({ from, to }, now)
}

/** Half a window earlier (-1) or later (+1); a later span stops at `now`, keeping its width. */
export function panSpan(span: TimeSpan, direction: -1 | 1, now: number): TimeSpan {
  // Whole milliseconds, so that earlier then later comes back to exactly the same span.
  const shift = direction * Math.floor((span.to - span.from) / 2)
  return keepInPast({ from: span.from + shift, to: span.to + shift }, now)
}

/** Whether the span already reaches the present, so there is nothing later to pan to. */
export function reachesNow(span: TimeSpan, now: number, slackMs = 1000): boolean {
  return span.to >= now - slackMs
}

function keepInPast(span: TimeSpan, now: number): TimeSpan {
  const width = Math.round(span.to - span.from)
  let to = Math.round(Math.min(span.to, now))
  let from = to - width
  if (from < 0) {
    from = 0
    to = width
  }
  return { from, to }
}
