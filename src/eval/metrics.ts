/**
 * The SKAB leaderboard metrics: point-wise outlier detection (F1, FAR, MAR, no point
 * adjustment) and NAB scores for change points. The NAB part follows the SKAB/tsad reference
 * (`core/metrics.py`: `chp_score(..., metric='nab', window_width='60S',
 * anomaly_window_destination='righter')`), re-written here.
 */

/** Point-wise confusion counts. */
export interface Confusion {
  tp: number
  fp: number
  fn: number
  tn: number
}

/** F1 as a fraction; FAR and MAR in percent. NaN where the denominator is 0. */
export interface BinaryScores {
  f1: number
  far: number
  mar: number
}

/** Counts TP/FP/FN/TN of binary predictions against binary labels of the same length. */
export function confusion(labels: ArrayLike<number>, predictions: ArrayLike<number>): Confusion {
  if (labels.length !== predictions.length) {
    throw new Error(`labels (${labels.length}) and predictions (${predictions.length}) differ`)
  }
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 }
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i] === 1
    const flagged = predictions[i] === 1
    if (truth && flagged) c.tp++
    else if (flagged) c.fp++
    else if (truth) c.fn++
    else c.tn++
  }
  return c
}

export function addConfusion(a: Confusion, b: Confusion): Confusion {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, tn: a.tn + b.tn }
}

/** F1 = TP / (TP + (FP + FN) / 2); FAR = FP / (FP + TN) · 100; MAR = FN / (FN + TP) · 100. */
export function binaryScores(c: Confusion): BinaryScores {
  return {
    f1: c.tp / (c.tp + (c.fp + c.fn) / 2),
    far: (c.fp / (c.fp + c.tn)) * 100,
    mar: (c.fn / (c.fn + c.tp)) * 100,
  }
}

/** Rewards and penalties of one NAB application profile. */
export interface NabProfile {
  aTp: number
  aFp: number
  aFn: number
}

export const NAB_PROFILES = {
  standard: { aTp: 1, aFp: -0.11, aFn: -1 },
  lowFP: { aTp: 1, aFp: -0.22, aFn: -1 },
  lowFN: { aTp: 1, aFp: -0.11, aFn: -2 },
} as const satisfies Record<string, NabProfile>

export type NabProfileName = keyof typeof NAB_PROFILES
export const NAB_PROFILE_NAMES = Object.keys(NAB_PROFILES) as NabProfileName[]

/** One profile's raw sums: normalise only after summing over files, as the leaderboard does. */
export interface NabSums {
  score: number
  /** What a detector that never fires would get: windows · A_fn. */
  null: number
  /** What a detector that fires exactly at every change point would get: windows · A_tp. */
  perfect: number
}

/** The raw NAB outcome for one file (or summed over several). */
export interface NabRaw {
  profiles: Record<NabProfileName, NabSums>
  /** Scoring windows (true change points). */
  windows: number
  /** Windows with at least one predicted change point in them. */
  detected: number
  /** Windows with none. */
  missed: number
  /** Predicted change points outside every window. */
  falsePositives: number
}

/** Length of the scoring window opened at each true change point (SKAB: 60 s, to the right). */
export const NAB_WINDOW_MS = 60_000

/**
 * Predicted change points from a binary prediction: 1 where it differs from the previous
 * sample (0→1 and 1→0 alike), 0 at the first sample.
 */
export function changePoints(predictions: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(predictions.length)
  for (let i = 1; i < predictions.length; i++) {
    out[i] = (predictions[i] === 1) !== (predictions[i - 1] === 1) ? 1 : 0
  }
  return out
}

// The reference scores a detection on a 1000-step grid of its relative position in the window.
const GRID = 1000
const TANH_EDGE = Math.tanh(Math.PI / 2)

/**
 * The scaled sigmoid of the SKAB reference ("improved" NAB scoring function): A_tp for a
 * detection at the very start of the window, falling smoothly to A_fp at its end. It is a
 * tanh (a rescaled logistic sigmoid) over [-π/2, π/2], sampled on the reference's grid.
 */
export function nabWindowScore(relativePosition: number, profile: NabProfile): number {
  const step = Math.min(GRID - 1, Math.max(0, Math.floor(relativePosition * GRID)))
  const x = -Math.PI / 2 + (step * Math.PI) / (GRID - 1)
  const half = (profile.aTp - profile.aFp) / 2
  return -half * (Math.tanh(x) / TANH_EDGE) + half + profile.aFp
}

/**
 * NAB for one file. Each true change point opens a window [t, t + windowMs] (both ends
 * included); when windows overlap, the later one starts where the earlier ends. In a window
 * only the first predicted change point counts (scored by its relative position); a window
 * without one costs A_fn; each predicted change point outside every window costs A_fp.
 */
export function nabRaw(
  t: ArrayLike<number>,
  trueChangePoints: ArrayLike<number>,
  predictedChangePoints: ArrayLike<number>,
  windowMs = NAB_WINDOW_MS,
): NabRaw {
  const n = t.length
  if (trueChangePoints.length !== n || predictedChangePoints.length !== n) {
    throw new Error('times, true and predicted change points must have the same length')
  }
  const windows: Array<[number, number]> = []
  for (let i = 0; i < n; i++) if (trueChangePoints[i] === 1) windows.push([t[i]!, t[i]! + windowMs])
  for (let i = 0; i + 1 < windows.length; i++) {
    if (windows[i]![1] >= windows[i + 1]![0]) windows[i + 1]![0] = windows[i]![1]
  }
  const predicted: number[] = []
  for (let i = 0; i < n; i++) if (predictedChangePoints[i] === 1) predicted.push(t[i]!)

  const firstHit: Array<number | null> = windows.map(([a, b]) => {
    for (const p of predicted) if (p >= a && p <= b) return p
    return null
  })
  let falsePositives = 0
  for (const p of predicted) {
    // A point on a window's boundary is inside that window, as in the reference.
    if (!windows.some(([a, b]) => p >= a && p <= b)) falsePositives++
  }
  const detected = firstHit.filter((h) => h !== null).length
  const profiles = {} as Record<NabProfileName, NabSums>
  for (const name of NAB_PROFILE_NAMES) {
    const pr = NAB_PROFILES[name]
    let score = falsePositives * pr.aFp + (windows.length - detected) * pr.aFn
    windows.forEach(([a, b], i) => {
      const hit = firstHit[i]
      if (hit != null) score += nabWindowScore((hit - a) / (b - a), pr)
    })
    profiles[name] = {
      score,
      null: windows.length * pr.aFn,
      perfect: windows.length * pr.aTp,
    }
  }
  return {
    profiles,
    windows: windows.length,
    detected,
    missed: windows.length - detected,
    falsePositives,
  }
}

export function emptyNabRaw(): NabRaw {
  const profiles = {} as Record<NabProfileName, NabSums>
  for (const name of NAB_PROFILE_NAMES) profiles[name] = { score: 0, null: 0, perfect: 0 }
  return { profiles, windows: 0, detected: 0, missed: 0, falsePositives: 0 }
}

export function addNabRaw(a: NabRaw, b: NabRaw): NabRaw {
  const out = emptyNabRaw()
  for (const name of NAB_PROFILE_NAMES) {
    const x = a.profiles[name]
    const y = b.profiles[name]
    out.profiles[name] = {
      score: x.score + y.score,
      null: x.null + y.null,
      perfect: x.perfect + y.perfect,
    }
  }
  out.windows = a.windows + b.windows
  out.detected = a.detected + b.detected
  out.missed = a.missed + b.missed
  out.falsePositives = a.falsePositives + b.falsePositives
  return out
}

/** 100 · (score − null) / (perfect − null): 0 for a silent detector, 100 for a perfect one. */
export function nabNormalised(raw: NabRaw): Record<NabProfileName, number> {
  const out = {} as Record<NabProfileName, number>
  for (const name of NAB_PROFILE_NAMES) {
    const s = raw.profiles[name]
    out[name] = s.perfect === s.null ? NaN : (100 * (s.score - s.null)) / (s.perfect - s.null)
  }
  return out
}
