import { describe, expect, it } from 'vitest'
import {
  detectEvents,
  EventFilter,
  movingAverage,
  type EventFilterSettings,
} from '../../../../../src/model/detection/event-filter'

/** Runs the live filter and materialises its backdated detections as labels. */
function streamLabels(scores: ArrayLike<number>, settings: EventFilterSettings): Uint8Array {
  const filter = new EventFilter(settings)
  const labels = new Uint8Array(scores.length)
  for (let i = 0; i < scores.length; i++) {
    const step = filter.push(scores[i]!)
    if (step.startedAt !== null) labels.fill(1, step.startedAt, i + 1)
    if (step.anomalous) labels[i] = 1
  }
  return labels
}

describe('event filter', () => {
  const settings = { threshold: 1, smoothing: 1, minDuration: 3 }

  it('ignores a single spike', () => {
    const scores = [0, 0, 0, 9, 0, 0, 0]
    expect([...detectEvents(scores, settings).anomalous]).toEqual([0, 0, 0, 0, 0, 0, 0])
    expect([...streamLabels(scores, settings)]).toEqual([0, 0, 0, 0, 0, 0, 0])
  })

  it('catches a sustained exceedance, backdated to its first sample, until it falls back', () => {
    const scores = [0, 2, 2, 2, 2, 0, 0]
    const r = detectEvents(scores, settings)
    expect([...r.anomalous]).toEqual([0, 1, 1, 1, 1, 0, 0])
    expect(r.events).toEqual([{ start: 1, end: 5 }])

    const live = new EventFilter(settings)
    const steps = scores.map((s) => live.push(s))
    expect(steps.map((s) => s.anomalous)).toEqual([false, false, false, true, true, false, false])
    expect(steps[3]!.startedAt).toBe(1) // confirmed at sample 3, starting at sample 1
    expect(steps[5]!.ended).toBe(true)
  })

  it('smooths before comparing: a spike averaged over 4 samples stays below', () => {
    const s = { threshold: 1, smoothing: 4, minDuration: 1 }
    expect([...detectEvents([0, 0, 0, 3, 0, 0], s).anomalous]).toEqual([0, 0, 0, 0, 0, 0])
    expect([...movingAverage([0, 0, 0, 3, 0, 0], 4)]).toEqual([0, 0, 0, 0.75, 0.75, 0.75])
    expect([...detectEvents([0, 0, 0, 3, 3, 0, 0, 0, 0], s).anomalous]).toEqual([
      0, 0, 0, 0, 1, 1, 1, 0, 0,
    ])
  })

  it('leaves missing scores out of the average', () => {
    expect([...movingAverage([NaN, 2, NaN, 4], 2)]).toEqual([NaN, 2, 2, 4])
  })

  it('gives the same detections streaming and in batch, on random series', () => {
    let seed = 99
    const rand = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32
    for (let trial = 0; trial < 200; trial++) {
      const n = 50 + Math.floor(rand() * 300)
      const level = () => (rand() < 0.1 ? 3 : 0)
      let base = level()
      const scores = Array.from({ length: n }, () => {
        if (rand() < 0.05) base = level()
        return rand() < 0.02 ? NaN : base + rand()
      })
      const s = {
        threshold: 1 + rand() * 2,
        smoothing: 1 + Math.floor(rand() * 8),
        minDuration: 1 + Math.floor(rand() * 6),
      }
      expect(streamLabels(scores, s)).toEqual(detectEvents(scores, s).anomalous)
    }
  })

  it('keeps the running average exact over a long live run', () => {
    const ma = movingAverage(
      Array.from({ length: 100_000 }, (_, i) => (i % 2 ? 1e6 : 1e-6)),
      5,
    )
    expect(ma[99_999]).toBeCloseTo((3e6 + 2e-6) / 5, 3)
  })

  it('rejects a duration below 1', () => {
    expect(() => new EventFilter({ threshold: 1, smoothing: 1, minDuration: 0 })).toThrow()
  })
})
