/**
 * Peaks over threshold (the extreme-value method behind SPOT, Siffer et al., KDD 2017): the
 * excesses of the scores over a high initial quantile follow a generalized Pareto
 * distribution (GPD); its fitted tail gives the score exceeded with a chosen small
 * probability q, even when q is far below 1 / (number of scores).
 */

/** A fitted generalized Pareto distribution of the excesses y > 0. */
export interface GpdFit {
  /** ξ (gamma): 0 is an exponential tail, > 0 heavier, < 0 bounded. */
  shape: number
  /** σ > 0. */
  scale: number
  logLikelihood: number
  method: 'mle' | 'exponential' | 'moments'
}

/** Shapes this close to 0 use the exponential limit of the formulas. */
export const SHAPE_EPSILON = 1e-6

/** Log-likelihood of the excesses under GPD(shape, scale); -Infinity outside the support. */
export function gpdLogLikelihood(y: ArrayLike<number>, shape: number, scale: number): number {
  if (!(scale > 0)) return -Infinity
  const n = y.length
  if (Math.abs(shape) < SHAPE_EPSILON) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += y[i]!
    return -n * Math.log(scale) - sum / scale
  }
  let sumLog = 0
  for (let i = 0; i < n; i++) {
    const z = 1 + (shape * y[i]!) / scale
    if (!(z > 0)) return -Infinity
    sumLog += Math.log(z)
  }
  return -n * Math.log(scale) - (1 + 1 / shape) * sumLog
}

function meanLog1p(y: ArrayLike<number>, theta: number): number {
  let s = 0
  for (let i = 0; i < y.length; i++) s += Math.log1p(theta * y[i]!)
  return s / y.length
}

/**
 * The profile log-likelihood in θ = ξ/σ (Grimshaw's reduction): for a given θ the best shape is
 * ξ(θ) = mean(log(1 + θy)) and σ = ξ/θ, leaving a one-dimensional search.
 */
function profile(
  y: ArrayLike<number>,
  theta: number,
): { ll: number; shape: number; scale: number } {
  const shape = meanLog1p(y, theta)
  const scale = shape / theta
  // ξ < -1 makes the likelihood unbounded near the end point; such fits are not estimates.
  if (!Number.isFinite(shape) || shape < -1 || !(scale > 0)) {
    return { ll: -Infinity, shape, scale }
  }
  return { ll: -y.length * Math.log(scale) - y.length * (1 + shape), shape, scale }
}

function geometric(from: number, to: number, count: number): number[] {
  const out: number[] = []
  const step = Math.log(to / from) / (count - 1)
  for (let i = 0; i < count; i++) out.push(from * Math.exp(step * i))
  return out
}

/** Method-of-moments estimate (valid for ξ < 1/2); the fallback when the likelihood fails. */
export function fitGpdMoments(y: ArrayLike<number>): GpdFit {
  const n = y.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += y[i]!
  mean /= n
  let v = 0
  for (let i = 0; i < n; i++) v += (y[i]! - mean) ** 2
  v /= Math.max(1, n - 1)
  const r = v > 0 ? (mean * mean) / v : Infinity
  const shape = Number.isFinite(r) ? 0.5 * (1 - r) : -1
  const scale = Number.isFinite(r) ? 0.5 * mean * (1 + r) : mean
  return { shape, scale, logLikelihood: gpdLogLikelihood(y, shape, scale), method: 'moments' }
}

/**
 * Maximum-likelihood GPD fit of positive excesses: a grid over θ on both sides of 0 refined by
 * golden-section search, compared with the exponential fit (ξ = 0), shape limited to ξ ≥ -1.
 * Falls back to the method of moments if no candidate has a finite likelihood.
 */
export function fitGpd(y: ArrayLike<number>): GpdFit {
  const n = y.length
  if (n === 0) throw new Error('fitGpd needs at least one excess')
  let mean = 0
  let max = 0
  for (let i = 0; i < n; i++) {
    mean += y[i]!
    max = Math.max(max, y[i]!)
  }
  mean /= n
  if (!(mean > 0)) throw new Error('fitGpd needs positive excesses')
  let best: GpdFit = {
    shape: 0,
    scale: mean,
    logLikelihood: -n * Math.log(mean) - n,
    method: 'exponential',
  }
  // θ must stay above -1/max(y); the grid is dense near 0 and near that end point.
  const thetas = [...geometric(1e-8, 0.5, 40), ...geometric(1e-6, 0.5, 40).map((v) => 1 - v)]
    .map((u) => -u / max)
    .concat(geometric(1e-6, 1e4, 80).map((u) => u / mean))
    .sort((a, b) => a - b)
  const lls = thetas.map((th) => profile(y, th).ll)
  let bi = -1
  for (let i = 0; i < thetas.length; i++) if (bi < 0 || lls[i]! > lls[bi]!) bi = i
  if (bi >= 0 && Number.isFinite(lls[bi]!)) {
    // Refine between the neighbours of the best grid point (the profile is smooth there).
    let a = thetas[Math.max(0, bi - 1)]!
    let b = thetas[Math.min(thetas.length - 1, bi + 1)]!
    const g = (Math.sqrt(5) - 1) / 2
    let c = b - g * (b - a)
    let d = a + g * (b - a)
    let fc = profile(y, c).ll
    let fd = profile(y, d).ll
    for (let k = 0; k < 60; k++) {
      if (fc >= fd) {
        b = d
        d = c
        fd = fc
        c = b - g * (b - a)
        fc = profile(y, c).ll
      } else {
        a = c
        c = d
        fc = fd
        d = a + g * (b - a)
        fd = profile(y, d).ll
      }
    }
    const th = fc >= fd ? c : d
    const p = profile(y, th)
    const pick = p.ll >= lls[bi]! ? p : profile(y, thetas[bi]!)
    if (Number.isFinite(pick.ll) && pick.ll > best.logLikelihood) {
      best = { shape: pick.shape, scale: pick.scale, logLikelihood: pick.ll, method: 'mle' }
    }
  }
  if (!Number.isFinite(best.logLikelihood)) return fitGpdMoments(y)
  return best
}

/** Linear-interpolation quantile (type 7) of ascending-sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  if (n === 0) return NaN
  const h = (n - 1) * Math.min(1, Math.max(0, p))
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

export interface PotOptions {
  /** Target probability that a normal score exceeds the threshold. */
  q: number
  /** Quantile of the scores used as the initial threshold t (SPOT uses 0.98). */
  initialLevel?: number
  /** Fewest excesses a fit may use; the initial level is lowered to get them when it can be. */
  minExcesses?: number
  /**
   * The initial level may not go below this: the fit must see a tail, not the bulk. With fewer
   * scores than minExcesses / (1 − minLevel) the exponential fallback is used.
   */
  minLevel?: number
}

export type PotMethod = 'pot' | 'empirical' | 'exponential' | 'constant'

export interface PotResult {
  threshold: number
  method: PotMethod
  /** Finite scores used. */
  n: number
  /** The initial threshold t, and how many scores exceed it. */
  initialThreshold: number
  excesses: number
  fit: GpdFit | null
}

/** The score exceeded with probability q according to a GPD tail fitted above t. */
export function gpdQuantile(
  t: number,
  fit: Pick<GpdFit, 'shape' | 'scale'>,
  q: number,
  n: number,
  excesses: number,
): number {
  const r = (q * n) / excesses
  if (Math.abs(fit.shape) < SHAPE_EPSILON) return t - fit.scale * Math.log(r)
  return t + (fit.scale / fit.shape) * (Math.pow(r, -fit.shape) - 1)
}

/**
 * The threshold a normal score exceeds with probability q. Peaks over threshold when there are
 * enough scores in the tail; the empirical (1 − q) quantile when the data resolve it directly
 * (q·n ≥ minExcesses); an exponential tail fitted over the median when the data are too few
 * for peaks over threshold; the common value itself when all scores are equal. Non-finite scores are ignored.
 */
export function potThreshold(scores: ArrayLike<number>, options: PotOptions): PotResult {
  const { q } = options
  const initialLevel = options.initialLevel ?? 0.98
  const minExcesses = options.minExcesses ?? 10
  const minLevel = options.minLevel ?? 0.9
  if (!(q > 0 && q < 1)) throw new Error(`q must be in (0, 1), not ${q}`)
  const finite: number[] = []
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i]!)) finite.push(scores[i]!)
  const sorted = Float64Array.from(finite).sort()
  const n = sorted.length
  if (n === 0) throw new Error('no finite scores to calibrate a threshold on')
  const base = { n, initialThreshold: NaN, excesses: 0, fit: null }
  if (sorted[0] === sorted[n - 1]) return { ...base, threshold: sorted[0]!, method: 'constant' }
  if (q * n >= minExcesses) {
    return { ...base, threshold: quantileSorted(sorted, 1 - q), method: 'empirical' }
  }
  const level = Math.min(initialLevel, 1 - minExcesses / n)
  const t = quantileSorted(sorted, level)
  const y: number[] = []
  for (let i = 0; i < n; i++) if (sorted[i]! > t) y.push(sorted[i]! - t)
  if (level < minLevel || y.length < minExcesses) {
    // Too few scores to estimate a tail's shape: assume the exponential tail (ξ = 0, the GPD
    // limit of light-tailed scores such as squared errors), fitted to the excesses over the
    // median, i.e. to the upper half of the scores rather than to a handful of them.
    const median = quantileSorted(sorted, 0.5)
    let sum = 0
    let excesses = 0
    for (let i = 0; i < n; i++) {
      if (sorted[i]! > median) {
        sum += sorted[i]! - median
        excesses++
      }
    }
    // More than half the scores equal to the largest one: nothing to fit, take the largest.
    if (excesses === 0) return { ...base, threshold: sorted[n - 1]!, method: 'empirical' }
    const fit: GpdFit = {
      shape: 0,
      scale: sum / excesses,
      logLikelihood: -excesses * Math.log(sum / excesses) - excesses,
      method: 'exponential',
    }
    return {
      n,
      initialThreshold: median,
      excesses,
      fit,
      threshold: gpdQuantile(median, fit, q, n, excesses),
      method: 'exponential',
    }
  }
  const fit = fitGpd(y)
  return {
    n,
    initialThreshold: t,
    excesses: y.length,
    fit,
    threshold: gpdQuantile(t, fit, q, n, y.length),
    method: 'pot',
  }
}
