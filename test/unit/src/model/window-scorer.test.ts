import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/model/backend'
import { trainModel, type TrainingResult } from '../../../../src/model/train-model'
import { WindowScorer } from '../../../../src/model/window-scorer'
import { machine, quickOptions, smallSpec } from './model-fixtures'

const W = smallSpec.windowSize
const S = smallSpec.sensorIds.length
let trained: TrainingResult
let scorer: WindowScorer

beforeAll(async () => {
  await selectBackend('wasm')
  trained = await trainModel({
    matrix: machine(1200),
    spec: smallSpec,
    options: { ...quickOptions, epochs: 8 },
  })
  scorer = await WindowScorer.load(trained.artifact)
}, 60_000)

afterAll(() => scorer.dispose())

/** Fresh data from the same machine (another noise seed), 300 rows. */
const fresh = () => machine(300, 99).values

const max = (a: Float32Array) => a.reduce((m, v) => Math.max(m, v), -Infinity)

describe('WindowScorer', () => {
  it('scores every window ending from row W-1 on, like training scored validation', () => {
    const out = scorer.score(fresh())
    expect(out.count).toBe(300 - W + 1)
    expect(out.cols).toBe(S)
    // Normal data scores like the validation windows did.
    const sorted = Float32Array.from(trained.validationScores).sort()
    const p99 = sorted[Math.floor(0.99 * sorted.length)]!
    expect(max(out.score)).toBeLessThan(3 * p99)
    for (let i = 0; i < out.count; i++) {
      const shares = out.contributions.subarray(i * S, (i + 1) * S)
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    }
  })

  it('a sensor that jumps scores far above normal and carries the largest contribution', () => {
    const raw = fresh()
    const normal = scorer.score(raw)
    // Flow (sensor 2) jumps by 40 (two amplitudes of its oscillation) from row 200 on.
    for (let r = 200; r < 300; r++) raw[r * S + 2] = raw[r * S + 2]! + 40
    const out = scorer.score(raw)
    // Windows from index 200 on start at or after the jump: all of their rows are off.
    const after = out.score.subarray(200)
    expect(Math.min(...after)).toBeGreaterThan(10 * max(normal.score))
    // Windows that only reach into the jump already rise above every normal one.
    expect(out.score[200 - W / 2]!).toBeGreaterThan(max(normal.score))
    for (let i = 200; i < out.count; i++) {
      const shares = Array.from(out.contributions.subarray(i * S, (i + 1) * S))
      expect(shares.indexOf(Math.max(...shares))).toBe(2)
    }
  })

  it("the validation scores are the live scores of the training range's last windows", () => {
    // Training (stride 2 here) scores every stride-1 window of its validation part with the
    // scorer's own code: the threshold is calibrated on exactly what live scoring computes.
    const rows = 1200
    const n = trained.validationScores.length
    const live = scorer.score(machine(rows).values, rows - n)
    expect(live.count).toBe(n)
    live.score.forEach((v, i) => expect(v).toBeCloseTo(trained.validationScores[i]!, 5))
  })

  it('expects values near the actual ones on normal data, in raw units', () => {
    const raw = fresh()
    const out = scorer.score(raw)
    for (let i = 0; i < out.count; i += 17) {
      const row = i + W - 1
      // Flow swings ±20 around 100; the reconstruction stays within a few units of it.
      expect(Math.abs(out.expected[i * S + 2]! - raw[row * S + 2]!)).toBeLessThan(5)
    }
  })

  it('scores a stream in pieces exactly as in one go', () => {
    const raw = fresh()
    const whole = scorer.score(raw)
    // The second call gets the last W-1 rows of the first in front of its new rows.
    const first = scorer.score(raw.subarray(0, 150 * S))
    const second = scorer.score(raw.subarray((150 - W + 1) * S))
    const joined = [...first.score, ...second.score]
    expect(joined).toHaveLength(whole.count)
    joined.forEach((v, i) => expect(v).toBeCloseTo(whole.score[i]!, 5))
    // firstEnd skips windows already scored.
    const tail = scorer.score(raw, 290)
    expect(tail.count).toBe(10)
    expect(tail.score[9]).toBeCloseTo(whole.score[whole.count - 1]!, 5)
    // Too few rows for a window, or nothing new: no scores.
    expect(scorer.score(raw.subarray(0, (W - 1) * S)).count).toBe(0)
    expect(scorer.score(raw, 400).count).toBe(0)
  })

  it('gives NaN for windows with a missing value, numbers for the others', () => {
    const raw = fresh()
    raw[100 * S + 1] = NaN
    const out = scorer.score(raw)
    for (let i = 0; i < out.count; i++) {
      const touches = i <= 100 && 100 <= i + W - 1
      expect(Number.isNaN(out.score[i]!)).toBe(touches)
    }
    expect(Number.isNaN(out.expected[100 * S])).toBe(true)
  })

  it('explains a window: attention rows sum to 1, same score as score()', () => {
    const raw = fresh()
    const out = scorer.score(raw)
    const window = raw.slice(50 * S, (50 + W) * S)
    const e = scorer.explain(window)
    expect(e.score).toBeCloseTo(out.score[50]!, 5)
    expect(e.perHead).toHaveLength(smallSpec.heads)
    expect(e.attention).toHaveLength(W)
    for (const row of e.attention) {
      expect(row).toHaveLength(W)
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    }
    expect(e.expected).toHaveLength(W)
    expect(e.expected[W - 1]![2]).toBeCloseTo(out.expected[50 * S + 2]!, 3)
    expect(e.contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
  })

  it('does not leak tensors', async () => {
    const before = tf.memory().numTensors
    const s = await WindowScorer.load(trained.artifact)
    s.score(fresh())
    s.explain(fresh().slice(0, W * S))
    s.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
