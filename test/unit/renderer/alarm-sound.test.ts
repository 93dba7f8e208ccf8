import { describe, expect, it } from 'vitest'
import type { AlarmPriority, AlarmState, AlarmView } from '../../../src/contract/alarm-schemas'
import {
  SOUND_PATTERNS,
  hearState,
  patternFor,
  soundingOf,
} from '../../../renderer/src/lib/alarm-sound'

function view(priority: AlarmPriority, state: AlarmState, activatedAt: number): AlarmView {
  return {
    id: `${priority}-${state}-${activatedAt}`,
    definition: {
      kind: 'model',
      id: 'm',
      name: 'm',
      priority,
      onDelayMs: 0,
      offDelayMs: 0,
      latch: false,
      deadband: 0.1,
    },
    state,
    active: true,
    since: activatedAt,
    activatedAt,
    value: 1,
    ackedBy: null,
    ackedAt: null,
    ackNote: null,
    shelvedUntil: null,
    shelvedBy: null,
    shelveReason: null,
    eventId: null,
    contributors: [],
  }
}

describe('soundingOf', () => {
  it('sounds for unacked and latched, never for rtn-unacked or acked', () => {
    expect(soundingOf([view('critical', 'rtn-unacked', 5)]).highest).toBeNull()
    expect(soundingOf([view('critical', 'acked', 5)]).highest).toBeNull()
    expect(soundingOf([view('low', 'latched', 5)]).highest).toBe('low')
    const s = soundingOf([
      view('low', 'unacked', 50),
      view('high', 'unacked', 10),
      view('critical', 'rtn-unacked', 99),
    ])
    expect(s).toEqual({ highest: 'high', newestActivation: 50 })
  })
})

describe('hearState', () => {
  it('is off with nothing sounding, else the highest priority', () => {
    expect(hearState({ highest: null, newestActivation: null }, null)).toBe('off')
    expect(hearState({ highest: 'medium', newestActivation: 10 }, null)).toBe('medium')
  })

  it('stays silenced until a new alarm activates', () => {
    const silencedThrough = 100
    expect(hearState({ highest: 'high', newestActivation: 100 }, silencedThrough)).toBe('silenced')
    expect(hearState({ highest: 'high', newestActivation: 90 }, silencedThrough)).toBe('silenced')
    expect(hearState({ highest: 'critical', newestActivation: 101 }, silencedThrough)).toBe(
      'critical',
    )
  })

  it('stops once everything is acknowledged, even while silenced', () => {
    expect(hearState(soundingOf([view('high', 'acked', 5)]), 5)).toBe('off')
  })
})

describe('patterns', () => {
  it('plays nothing when silenced or off, and a distinct pattern per priority', () => {
    expect(patternFor('silenced')).toBeNull()
    expect(patternFor('off')).toBeNull()
    expect(patternFor('critical')).toBe(SOUND_PATTERNS.critical)
    const signatures = Object.values(SOUND_PATTERNS).map((p) =>
      JSON.stringify([p.repeatMs, p.tones.map((t) => t.freq)]),
    )
    expect(new Set(signatures).size).toBe(4)
    expect(SOUND_PATTERNS.low.repeatMs).toBe(10_000)
    expect(SOUND_PATTERNS.low.tones).toHaveLength(1)
    expect(SOUND_PATTERNS.critical.repeatMs).toBeLessThan(SOUND_PATTERNS.high.repeatMs)
  })
})
