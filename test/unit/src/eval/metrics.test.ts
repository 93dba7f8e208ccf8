import { describe, expect, it } from 'vitest'
import {
  addConfusion,
  addNabRaw,
  binaryScores,
  changePoints,
  confusion,
  nabNormalised,
  nabRaw,
  nabWindowScore,
  NAB_PROFILES,
} from '../../../../src/eval/metrics'

describe('point-wise metrics', () => {
  it('counts TP, FP, FN and TN and derives F1, FAR and MAR', () => {
    //           labels 0 0 0 0 1 1 1 1 0 0
    //      predictions 0 1 0 0 0 1 1 1 1 0
    const c = confusion([0, 0, 0, 0, 1, 1, 1, 1, 0, 0], [0, 1, 0, 0, 0, 1, 1, 1, 1, 0])
    expect(c).toEqual({ tp: 3, fp: 2, fn: 1, tn: 4 })
    const s = binaryScores(c)
    expect(s.f1).toBeCloseTo(3 / (3 + 3 / 2), 12) // 0.6667
    expect(s.far).toBeCloseTo((2 / 6) * 100, 12)
    expect(s.mar).toBeCloseTo((1 / 4) * 100, 12)
  })

  it('sums over files before dividing (micro-average)', () => {
    const a = confusion([1, 1, 0], [1, 0, 0])
    const b = confusion([0, 0, 1], [1, 1, 1])
    expect(addConfusion(a, b)).toEqual({ tp: 2, fp: 2, fn: 1, tn: 1 })
  })

  it('flagging every point gives FAR 100 % and MAR 0 %', () => {
    const s = binaryScores(confusion([0, 1, 1, 0], [1, 1, 1, 1]))
    expect(s).toEqual({ f1: 2 / (2 + 1), far: 100, mar: 0 })
  })

  it('rejects labels and predictions of different lengths', () => {
    expect(() => confusion([0, 1], [0])).toThrow(/differ/)
  })
})

describe('NAB change-point scores', () => {
  it('takes predicted change points at every 0→1 and 1→0 transition', () => {
    expect([...changePoints([0, 0, 1, 1, 0, 1])]).toEqual([0, 0, 1, 0, 1, 1])
    expect([...changePoints([1, 1, 1])]).toEqual([0, 0, 0])
  })

  it('scores A_tp at the window start and A_fp at its end', () => {
    expect(nabWindowScore(0, NAB_PROFILES.standard)).toBeCloseTo(1, 12)
    expect(nabWindowScore(1, NAB_PROFILES.standard)).toBeCloseTo(-0.11, 12)
    // The middle of the window is halfway between them (tanh is odd around the centre).
    expect(nabWindowScore(0.4995, NAB_PROFILES.standard)).toBeCloseTo((1 - 0.11) / 2, 2)
  })

  it('scores a tiny case computed by hand', () => {
    // One sample every 10 s, so a 60 s window spans 7 samples: t = 0..130 s (14 samples).
    // True change points at samples 2 (t = 20 s, window [20, 80]) and 10 (t = 100 s, window
    // [100, 160]). Predictions 0 1 1 0 0 0 0 0 0 0 0 0 0 0 give predicted change points at
    // sample 1 (t = 10 s: before every window, one FP) and sample 3 (t = 30 s, in window 1 at
    // relative position 10/60 → grid step floor(166.67) = 166). Window 2 holds none: missed.
    //   x = -π/2 + 166·π/999 = -1.04877;  tanh(x)/tanh(π/2) = -0.78133/0.91715 = -0.85191
    //   Standard: first-window score = -0.11 + 1.11/2 · (1 + 0.85191) = 0.91781
    //             total = 0.91781 - 0.11 (FP) - 1 (missed) = -0.19219
    //             null = -2, perfect = 2 → 100 · (-0.19219 + 2) / 4 = 45.20
    //   LowFP:    -0.22 + 1.22/2 · 1.85191 = 0.90966; total 0.90966 - 0.22 - 1 = -0.31034
    //             → 100 · 1.68966 / 4 = 42.24
    //   LowFN:    0.91781 - 0.11 - 2 = -1.19219; null -4, perfect 2 → 100 · 2.80781 / 6 = 46.80
    const t = Array.from({ length: 14 }, (_, i) => i * 10_000)
    const truth = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    const pred = [0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    const raw = nabRaw(t, truth, changePoints(pred))
    expect(raw).toMatchObject({ windows: 2, detected: 1, missed: 1, falsePositives: 1 })
    expect(raw.profiles.standard.score).toBeCloseTo(-0.19219, 4)
    const norm = nabNormalised(raw)
    expect(norm.standard).toBeCloseTo(45.2, 1)
    expect(norm.lowFP).toBeCloseTo(42.24, 1)
    expect(norm.lowFN).toBeCloseTo(46.8, 1)
  })

  it('counts only the first detection in a window, gives 0 to silence and 100 to perfection', () => {
    const t = Array.from({ length: 20 }, (_, i) => i * 1000)
    const truth = new Array(20).fill(0)
    truth[5] = 1
    const perfect = nabRaw(t, truth, truth)
    expect(nabNormalised(perfect).standard).toBeCloseTo(100, 6)
    const silent = nabRaw(t, truth, new Array(20).fill(0))
    expect(nabNormalised(silent)).toEqual({ standard: 0, lowFP: 0, lowFN: 0 })
    const twice = new Array(20).fill(0)
    twice[5] = twice[7] = 1
    expect(nabRaw(t, truth, twice).falsePositives).toBe(0)
    expect(nabNormalised(nabRaw(t, truth, twice)).standard).toBeCloseTo(100, 6)
  })

  it('normalises sums over files, not the mean of per-file scores', () => {
    const t = [0, 1000, 2000, 70_000]
    const a = nabRaw(t, [0, 1, 0, 0], [0, 1, 0, 0]) // perfect
    const b = nabRaw(t, [0, 1, 0, 0], [0, 0, 0, 1]) // missed + 1 FP
    const total = nabNormalised(addNabRaw(a, b))
    // (1 + (-1 - 0.11) - (-2)) / (2 - (-2)) = 1.89 / 4
    expect(total.standard).toBeCloseTo(47.25, 6)
  })
})
