/** A stretch of time, in epoch ms. */
export interface Stretch {
  from: number
  to: number
  /** Set while the newest sample was flagged: the next batch may continue this stretch. */
  open?: boolean
}

export interface Contributor {
  sensorId: string
  /** Share of the reconstruction error, 0–1. */
  share: number
}

/** The sensors that explain a score, largest share first; shares of zero are left out. */
export function rankContributors(
  sensorIds: readonly string[],
  shares: readonly number[],
  limit = Infinity,
): Contributor[] {
  return sensorIds
    .map((sensorId, i) => ({ sensorId, share: shares[i] ?? 0 }))
    .filter((c) => Number.isFinite(c.share) && c.share > 0)
    .sort((a, b) => b.share - a.share || a.sensorId.localeCompare(b.sensorId))
    .slice(0, limit)
}

/**
 * Appends the flagged times of a batch to a list of stretches: a run of flags is one stretch,
 * and a stretch still open at the end of the list grows when the next batch continues it.
 * `maxGapMs` is how far apart two flagged samples may be and still be one stretch.
 */
export function appendStretches(
  stretches: Stretch[],
  t: readonly number[],
  flags: readonly boolean[],
  maxGapMs: number,
): void {
  const last = stretches[stretches.length - 1]
  let open = last?.open ? last : undefined
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]
    if (!flags[i]) {
      if (open) delete open.open
      open = undefined
    } else if (open && ti - open.to <= maxGapMs) {
      open.to = Math.max(open.to, ti)
    } else {
      if (open) delete open.open
      stretches.push((open = { from: ti, to: ti, open: true }))
    }
  }
}

/**
 * The stretches where a stored score stays above the threshold for at least `minSamples`
 * samples in a row: what the detector flagged, rebuilt from the history (which keeps the score,
 * not the flags). A gap (a `null`) ends a stretch.
 */
export function stretchesAbove(
  t: readonly number[],
  v: readonly (number | null)[],
  threshold: number,
  minSamples: number,
): Stretch[] {
  const out: Stretch[] = []
  let start = -1
  const close = (end: number) => {
    if (start >= 0 && end - start >= minSamples) out.push({ from: t[start], to: t[end - 1] })
    start = -1
  }
  for (let i = 0; i < t.length; i++) {
    const value = v[i]
    if (value !== null && value !== undefined && value > threshold) {
      if (start < 0) start = i
    } else close(i)
  }
  close(t.length)
  return out
}

/** Drops the stretches that ended before `cutoff`. */
export function trimStretches(stretches: Stretch[], cutoff: number): void {
  let drop = 0
  while (drop < stretches.length && stretches[drop].to < cutoff) drop++
  if (drop) stretches.splice(0, drop)
}

/** The y range of the score chart: from 0, with the threshold and the data in view. */
export function scoreYRange(dataMax: number | null, threshold: number | null): [number, number] {
  const top = Math.max(
    dataMax !== null && Number.isFinite(dataMax) ? dataMax : 0,
    threshold !== null && Number.isFinite(threshold) ? threshold * 1.5 : 0,
  )
  return [0, top > 0 ? top * 1.08 : 1]
}

/**
 * Attention weights as grey levels 0–1 for the heat map: each weight against the largest in
 * the window, so the pattern shows whatever the window size (weights of a row sum to 1).
 */
export function heatLevels(weights: readonly (readonly number[])[]): number[][] {
  let max = 0
  for (const row of weights) for (const w of row) if (Number.isFinite(w) && w > max) max = w
  return weights.map((row) =>
    row.map((w) => (max > 0 && Number.isFinite(w) ? Math.max(0, w) / max : 0)),
  )
}

/** A score or threshold with three significant digits: enough to compare, no false precision. */
export function formatScore(value: number | null, locale: string): string {
  if (value === null || !Number.isFinite(value)) return '—'
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(value)
}

/** A share (0–1) as a percentage, with a decimal below 10 % where small shares matter. */
export function formatShare(share: number, locale: string): string {
  const percent = share * 100
  const digits = percent > 0 && percent < 10 ? 1 : 0
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(percent)} %`
}
