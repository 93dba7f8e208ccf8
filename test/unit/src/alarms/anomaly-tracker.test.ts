import { describe, expect, it } from 'vitest'
import {
  AnomalyTracker,
  rankContributors,
  type AnomalyEventStore,
} from '../../../../src/alarms/anomaly-tracker'
import type { AnomalyEvent } from '../../../../src/contract'

function memoryStore(): AnomalyEventStore & { rows: Map<number, AnomalyEvent> } {
  const rows = new Map<number, AnomalyEvent>()
  return {
    rows,
    insertEvent: (e) => {
      const id = rows.size + 1
      rows.set(id, structuredClone({ ...e, id }))
      return id
    },
    updateEvent: (e) => void rows.set(e.id, structuredClone(e)),
    event: (id) => structuredClone(rows.get(id) ?? null),
  }
}

describe('rankContributors', () => {
  it('normalises the sums to shares and sorts them, largest first', () => {
    expect(rankContributors(['a', 'b', 'c'], [1, 3, 0])).toEqual([
      { sensorId: 'b', share: 0.75 },
      { sensorId: 'a', share: 0.25 },
      { sensorId: 'c', share: 0 },
    ])
  })

  it('gives zero shares, not NaN, before anything was observed', () => {
    expect(rankContributors(['a', 'b'], [0, 0]).map((c) => c.share)).toEqual([0, 0])
  })
})

describe('AnomalyTracker', () => {
  it('records start, peak and end, and ranks sensors by their score-weighted share over the event', () => {
    const store = memoryStore()
    const tracker = new AnomalyTracker(store)
    const id = tracker.start(1000, 7, 'model', ['flow', 'pressure'], 2)
    // A low-score moment blamed on pressure, then a high-score one blamed on flow: the
    // ranking weighs each moment by its score (3 × 0.9 + 1 × 0.2 = 2.9 vs 3 × 0.1 + 1 × 0.8 = 1.1).
    tracker.observe(2000, 1, [0.2, 0.8], 2)
    tracker.observe(3000, 3, [0.9, 0.1], 2)
    expect(tracker.contributors()[0]?.sensorId).toBe('flow')
    tracker.end(5000)
    const e = store.rows.get(id)
    expect(e).toMatchObject({ start: 1000, end: 5000, peakScore: 3, peakAt: 3000, modelId: 7 })
    expect(e?.contributors.map((c) => c.sensorId)).toEqual(['flow', 'pressure'])
    expect(e?.contributors[0]?.share).toBeCloseTo(2.9 / 4, 9)
    expect(tracker.openEventId).toBeNull()
  })

  it('carries on with an event left open by a restart, and leaves an ended one alone', () => {
    const store = memoryStore()
    const first = new AnomalyTracker(store)
    const id = first.start(0, 1, 'model', ['a', 'b'], 1)
    first.observe(1000, 4, [0.5, 0.5], 1)
    first.persist()
    const second = new AnomalyTracker(store)
    second.resume(id)
    expect(second.openEventId).toBe(id)
    second.observe(2000, 6, [1, 0], 1)
    second.end(3000)
    expect(store.rows.get(id)).toMatchObject({ peakScore: 6, end: 3000 })
    expect(store.rows.get(id)?.contributors[0]?.sensorId).toBe('a')

    const third = new AnomalyTracker(store)
    third.resume(id)
    expect(third.openEventId).toBeNull()
  })
})
