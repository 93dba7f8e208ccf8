import { describe, expect, it } from 'vitest'
import { calibrateThreshold } from '../../../../../src/model/threshold/calibrate-threshold'
import { fitGpd, gpdQuantile, potThreshold } from '../../../../../src/model/threshold/pot'

/** Seeded uniform (0, 1), so every run sees the same numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return (s + 0.5) / 2 ** 32
  }
}
const exponential = (u: () => number) => () => -Math.log(u())
/** |N(0, 1)| by Box–Muller: a light, Gaussian-like tail like many reconstruction errors. */
const halfNormal = (u: () => number) => () =>
  Math.abs(Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()))
/** Pareto excesses with shape ξ = 0.5, scale 1. */
const pareto = (u: () => number) => () => (Math.pow(u(), -0.5) - 1) / 0.5
const sample = (draw: () => number, n: number) => Float64Array.from({ length: n }, draw)

function exceedRate(scores: Float64Array, threshold: number): number {
  let k = 0
  for (const s of scores) if (s > threshold) k++
  return k / scores.length
}

describe('generalized Pareto fit', () => {
  it('recovers the shape of exponential, heavy and bounded tails', () => {
    const u = rng(7)
    expect(Math.abs(fitGpd(sample(exponential(u), 4000)).shape)).toBeLessThan(0.08)
    const heavy = fitGpd(sample(pareto(u), 4000))
    expect(heavy.shape).toBeGreaterThan(0.4)
    expect(heavy.shape).toBeLessThan(0.6)
    expect(heavy.scale).toBeCloseTo(1, 0)
    const uniform = fitGpd(sample(u, 4000)) // GPD with ξ = -1, σ = 1
    expect(uniform.shape).toBeLessThan(-0.85)
  })

  it('uses the exponential limit when the shape is 0', () => {
    expect(gpdQuantile(2, { shape: 0, scale: 1 }, 0.001, 1000, 10)).toBeCloseTo(2 + Math.log(10), 9)
    expect(gpdQuantile(2, { shape: 1e-9, scale: 1 }, 0.001, 1000, 10)).toBeCloseTo(
      2 + Math.log(10),
      6,
    )
  })
})

describe('threshold calibration by peaks over threshold', () => {
  for (const [name, make] of [
    ['exponential', exponential],
    ['half-normal', halfNormal],
  ] as const) {
    it(`meets the target false-alarm rate on fresh ${name} normal scores`, () => {
      const u = rng(11)
      const draw = make(u)
      const q = 0.001
      const cal = calibrateThreshold(sample(draw, 5000), {
        targetFalseAlarmRate: q,
        smoothing: 1,
        thresholdOverride: null,
      })
      expect(cal.method).toBe('pot')
      const rate = exceedRate(sample(draw, 400_000), cal.threshold)
      expect(rate).toBeGreaterThan(q / 3)
      expect(rate).toBeLessThan(q * 3)
    })
  }

  it('catches injected anomalies above the normal scores', () => {
    const u = rng(3)
    const normal = halfNormal(u)
    const cal = calibrateThreshold(sample(normal, 2000), {
      targetFalseAlarmRate: 0.001,
      smoothing: 1,
      thresholdOverride: null,
    })
    const test = sample(normal, 10_000)
    const injected = [1000, 4000, 7000]
    for (const i of injected) test[i] = 6 + u() // well outside a half-normal's bulk
    const flagged = [...test.keys()].filter((i) => test[i]! > cal.threshold)
    for (const i of injected) expect(flagged).toContain(i)
    expect(flagged.length).toBeLessThan(3 + 40)
  })

  it('fits an exponential tail over the median when the scores are too few for a GPD', () => {
    const u = rng(5)
    const few = sample(exponential(u), 60)
    const r = potThreshold(few, { q: 0.001, minExcesses: 10 })
    expect(r.method).toBe('exponential')
    expect(r.fit).toMatchObject({ shape: 0, method: 'exponential' })
    expect(r.excesses).toBe(30)
    expect(r.threshold).toBeGreaterThan(Math.max(...few))
    // Exponential(1) scores: the 0.999 quantile is ln(1000) ≈ 6.9; 60 scores get near it.
    expect(r.threshold).toBeGreaterThan(4.5)
    expect(r.threshold).toBeLessThan(10)
    // More than half the scores at the top: nothing to fit, the largest is the threshold.
    expect(potThreshold([1, 2, 2, 2], { q: 0.001 })).toMatchObject({
      method: 'empirical',
      threshold: 2,
    })
  })

  it('takes the empirical quantile when the data resolve it, and handles constant scores', () => {
    const u = rng(9)
    const r = potThreshold(sample(exponential(u), 1000), { q: 0.05 })
    expect(r.method).toBe('empirical')
    expect(r.threshold).toBeGreaterThan(2.5)
    expect(r.threshold).toBeLessThan(3.5) // -ln(0.05) = 3.0
    expect(potThreshold([2, 2, 2, 2, NaN], { q: 0.001 })).toMatchObject({
      method: 'constant',
      threshold: 2,
    })
    expect(() => potThreshold([NaN], { q: 0.001 })).toThrow(/no finite scores/)
  })

  it('lets an engineer override the threshold and keeps the calibrated one', () => {
    const u = rng(1)
    const cal = calibrateThreshold(sample(exponential(u), 3000), {
      targetFalseAlarmRate: 0.001,
      smoothing: 1,
      thresholdOverride: 42,
    })
    expect(cal.threshold).toBe(42)
    expect(cal.method).toBe('override')
    expect(cal.details.calibratedMethod).toBe('pot')
    expect(cal.details.calibrated).toBeGreaterThan(5)
  })

  it('fits smoothed scores when they are consecutive samples', () => {
    const u = rng(2)
    const scores = sample(exponential(u), 5000)
    const settings = { targetFalseAlarmRate: 0.001, smoothing: 10, thresholdOverride: null }
    const raw = calibrateThreshold(scores, settings)
    const smooth = calibrateThreshold(scores, settings, { consecutive: true })
    expect(smooth.details.smoothed).toBe(true)
    // A mean of 10 exponentials rarely strays far: its tail is much shorter.
    expect(smooth.threshold).toBeLessThan(raw.threshold * 0.6)
  })
})
