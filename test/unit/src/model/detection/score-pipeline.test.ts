import { describe, expect, it } from 'vitest'
import { detectionSettingsSchema } from '../../../../../src/contract'
import { detectEvents } from '../../../../../src/model/detection/event-filter'
import {
  baselineShape,
  referenceOf,
  runPipeline,
  ScorePipeline,
  type PipelineSettings,
} from '../../../../../src/model/detection/score-pipeline'
import type { WindowScores } from '../../../../../src/model/window-scorer'

/** Window scores from per-sensor errors (rows × cols), as the scorer reports them. */
function windows(errors: number[][]): WindowScores {
  const count = errors.length
  const cols = errors[0]!.length
  const score = new Float32Array(count)
  const contributions = new Float32Array(count * cols)
  errors.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0)
    score[i] = total / cols
    row.forEach((e, c) => (contributions[i * cols + c] = e / total))
  })
  return { count, cols, score, contributions, expected: new Float32Array(count * cols) }
}

const settings = (over: Partial<PipelineSettings> = {}, detection = {}): PipelineSettings => ({
  threshold: 2,
  detection: detectionSettingsSchema.parse({ smoothing: 1, minDuration: 3, ...detection }),
  reference: [1, 1],
  periodMs: 1000,
  ...over,
})

/** `n` rows of normal running, then sensor 0's error at `level` for `m` rows. */
const stepRows = (n: number, m: number, level: number) => [
  ...Array.from({ length: n }, () => [1, 1]),
  ...Array.from({ length: m }, () => [level, 1]),
]

describe('score pipeline', () => {
  it('sizes the baseline in time: one bucket a second, or a row when rows are slower', () => {
    expect(baselineShape(10, 1000)).toEqual({ bucketRows: 1, windowBuckets: 600 })
    expect(baselineShape(10, 10)).toEqual({ bucketRows: 100, windowBuckets: 600 })
    expect(baselineShape(10, 5000)).toEqual({ bucketRows: 1, windowBuckets: 120 })
  })

  it('takes the per-sensor reference of a model, or its whole-score median for older ones', () => {
    expect(referenceOf({ valScoreP50: 0.3, valSensorP50: [0.1, 0.5] }, 2)).toEqual([0.1, 0.5])
    expect(referenceOf({ valScoreP50: 0.3 }, 3)).toEqual([0.3, 0.3, 0.3])
  })

  it('without adaptation flags exactly what the batch filter flags on the raw score', () => {
    const s = windows(stepRows(50, 900, 6))
    const run = runPipeline(new ScorePipeline(settings({}, { adaptive: false }), 2), s)
    const batch = detectEvents(s.score, { threshold: 2, smoothing: 1, minDuration: 3 })
    expect([...run.anomalous]).toEqual([...batch.anomalous])
    expect([...run.adapted]).toEqual([...s.score].map(Number))
  })

  it('adapted: a moderate shift that lasts is followed after 70 % of the window, a strong one stays', () => {
    // One-minute baseline at one row a second: 60 buckets.
    const moderate = runPipeline(
      new ScorePipeline(settings({}, { baselineMinutes: 1 }), 2),
      windows(stepRows(100, 300, 6)),
    )
    expect(moderate.anomalous.slice(100, 140).every((v) => v === 1)).toBe(true)
    expect(moderate.anomalous.slice(200).every((v) => v === 0)).toBe(true)
    // Raw 20.5 is above maxRise (4) × threshold (2): never absorbed, however long.
    const strong = runPipeline(
      new ScorePipeline(settings({}, { baselineMinutes: 1 }), 2),
      windows(stepRows(100, 3000, 40)),
    )
    expect(strong.anomalous.slice(100).every((v) => v === 1)).toBe(true)
    expect(strong.raw.at(-1)).toBeCloseTo(20.5, 6)
  })

  it('a new threshold keeps what the baseline has followed', () => {
    const s = windows(stepRows(0, 200, 6))
    const first = new ScorePipeline(settings({}, { baselineMinutes: 1 }), 2)
    runPipeline(first, s)
    const kept = new ScorePipeline(settings({ threshold: 1.5 }, { baselineMinutes: 1 }), 2, first)
    const fresh = new ScorePipeline(settings({ threshold: 1.5 }, { baselineMinutes: 1 }), 2)
    const one = windows([[6, 1]])
    expect(kept.push(one, 0).adapted).toBeCloseTo(1, 6)
    expect(fresh.push(one, 0).adapted).toBeCloseTo(3.5, 6)
    expect(kept.rise()[0]).toBeCloseTo(6, 6)
  })

  it('reports the shares of the score it compares with the threshold', () => {
    const p = new ScorePipeline(settings({ reference: [1, 3] }), 2)
    const shares = new Float32Array(2)
    p.push(windows([[3, 3]]), 0, shares)
    expect([...shares]).toEqual([0.5, 0.5])
    const raw = new ScorePipeline(settings({ reference: null }), 2)
    raw.push(windows([[3, 1]]), 0, shares)
    expect([...shares]).toEqual([0.75, 0.25])
  })
})
