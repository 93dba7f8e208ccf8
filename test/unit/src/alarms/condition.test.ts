import { describe, expect, it } from 'vitest'
import { limitCondition, modelCondition, sourceCondition } from '../../../../src/alarms/condition'
import type { SourceStatus } from '../../../../src/alarms/condition'

/** Feeds values in order, carrying the condition; returns the condition after each. */
function trace(def: Parameters<typeof limitCondition>[0], values: number[], start = false) {
  let active = start
  return values.map((v) => (active = limitCondition(def, v, active)))
}

describe('limitCondition', () => {
  it('HH and H: active above the limit, cleared only below limit - deadband', () => {
    for (const level of ['HH', 'H'] as const) {
      const def = { level, limit: 100, deadband: 2 }
      expect(trace(def, [99, 100, 100.1, 99, 98, 97.99, 99, 100, 101]), level).toEqual([
        false, // below
        false, // at the limit is not above it
        true, // above
        true, // back inside, within the deadband
        true, // exactly limit - deadband: not below it
        false, // below limit - deadband
        false, // inside again, but inactive: needs to go above the limit
        false,
        true,
      ])
    }
  })

  it('L and LL mirror it: active below the limit, cleared only above limit + deadband', () => {
    for (const level of ['L', 'LL'] as const) {
      const def = { level, limit: -5, deadband: 0.5 }
      expect(trace(def, [-4, -5, -5.01, -4.8, -4.5, -4.49, -4.9, -5.2]), level).toEqual([
        false,
        false,
        true,
        true,
        true,
        false,
        false,
        true,
      ])
    }
  })

  it('with no deadband it clears as soon as the value is back at or inside the limit', () => {
    const def = { level: 'H' as const, limit: 10, deadband: 0 }
    expect(trace(def, [11, 10, 9.99, 11, 9])).toEqual([true, true, false, true, false])
  })

  it('a NaN or infinite value keeps the previous condition', () => {
    for (const level of ['HH', 'H', 'L', 'LL'] as const) {
      const def = { level, limit: 0, deadband: 1 }
      for (const v of [NaN, Infinity, -Infinity]) {
        expect(limitCondition(def, v, true), `${level} ${v}`).toBe(true)
        expect(limitCondition(def, v, false), `${level} ${v}`).toBe(false)
      }
    }
  })
})

describe('modelCondition', () => {
  const def = { deadband: 0.1 }
  const score = (smoothed: number, anomalous: boolean) => ({ smoothed, threshold: 1, anomalous })

  it("activates on the scorer's anomalous flag, not on the score alone", () => {
    expect(modelCondition(def, score(0.5, true), false)).toBe(true)
    expect(modelCondition(def, score(5, false), false)).toBe(false)
  })

  it('once active, stays while the score is at least threshold × (1 - deadband)', () => {
    expect(modelCondition(def, score(0.95, false), true)).toBe(true)
    expect(modelCondition(def, score(0.9, false), true)).toBe(true)
    expect(modelCondition(def, score(0.89, false), true)).toBe(false)
    expect(modelCondition({ deadband: 0 }, score(0.99, false), true)).toBe(false)
    expect(
      modelCondition({ deadband: 0.5 }, { smoothed: 21, threshold: 40, anomalous: false }, true),
    ).toBe(true)
  })

  it('a score hovering just under the threshold after activation does not chatter', () => {
    let active = false
    const flips: boolean[] = []
    const scores = [0.5, 1.2, 0.97, 1.01, 0.95, 0.99, 0.93, 1.02, 0.85, 0.96]
    for (const s of scores) {
      const next = modelCondition(def, score(s, s > 1), active)
      if (next !== active) flips.push(next)
      active = next
    }
    expect(flips).toEqual([true, false]) // on at 1.2, off only at 0.85
  })

  it('a non-finite score keeps the previous condition', () => {
    expect(modelCondition(def, score(NaN, false), true)).toBe(true)
    expect(modelCondition(def, score(NaN, false), false)).toBe(false)
  })
})

describe('sourceCondition', () => {
  const status = (state: SourceStatus['state'], lastSampleAt: number | null): SourceStatus => ({
    state,
    lastSampleAt,
    startedAt: 1_000,
  })
  const disconnected = { condition: 'disconnected' as const, staleAfterMs: 30_000 }
  const stale = { condition: 'stale' as const, staleAfterMs: 30_000 }

  it('disconnected: reconnecting or in error, nothing else', () => {
    const expected = {
      starting: false,
      running: false,
      reconnecting: true,
      stopped: false,
      error: true,
    }
    for (const [state, want] of Object.entries(expected) as [SourceStatus['state'], boolean][]) {
      expect(sourceCondition(disconnected, status(state, 5_000), 100_000), state).toBe(want)
    }
  })

  it('stale: running with the last sample older than staleAfterMs', () => {
    expect(sourceCondition(stale, status('running', 70_000), 100_000)).toBe(false) // exactly 30 s
    expect(sourceCondition(stale, status('running', 69_999), 100_000)).toBe(true)
    expect(sourceCondition(stale, status('running', 99_000), 100_000)).toBe(false)
  })

  it('stale before the first sample counts from the start', () => {
    expect(sourceCondition(stale, status('running', null), 31_000)).toBe(false)
    expect(sourceCondition(stale, status('running', null), 31_001)).toBe(true)
  })

  it('stale only while running: stopped, starting, reconnecting or error are not stale', () => {
    for (const state of ['starting', 'reconnecting', 'stopped', 'error'] as const) {
      expect(sourceCondition(stale, status(state, 0), 10_000_000), state).toBe(false)
    }
  })

  it('no-answer: its slave does not answer while the source runs', () => {
    const noAnswer = { condition: 'no-answer' as const, slaveId: 3, staleAfterMs: 30_000 }
    const slaves = (answering3: boolean) => [
      { slaveId: 1, answering: true },
      { slaveId: 3, answering: answering3 },
    ]
    const at = (state: SourceStatus['state'], answering3: boolean) =>
      sourceCondition(noAnswer, { ...status(state, 0), slaves: slaves(answering3) }, 1)
    expect(at('running', false)).toBe(true)
    expect(at('running', true)).toBe(false)
    // No slave answers: the source is in error and "disconnected" speaks for all of them.
    expect(at('error', false)).toBe(false)
    expect(
      sourceCondition(
        { ...noAnswer, slaveId: 4 },
        { ...status('running', 0), slaves: slaves(false) },
        1,
      ),
    ).toBe(false)
    expect(sourceCondition(noAnswer, status('running', 0), 1)).toBe(false)
  })

  it('a stopped source is never a condition', () => {
    for (const def of [disconnected, stale]) {
      expect(sourceCondition(def, status('stopped', null), 10_000_000)).toBe(false)
    }
  })
})
