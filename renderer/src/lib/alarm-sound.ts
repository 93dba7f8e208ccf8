import type { AlarmPriority, AlarmView } from '@vigil/contract'
import { PRIORITY_RANK, isSounding } from './alarm-list'

/** What the annunciator sounds: a priority's pattern, nothing (silenced by hand), or off. */
export type HearState = AlarmPriority | 'silenced' | 'off'

/** What is calling for the horn now. */
export interface Sounding {
  highest: AlarmPriority | null
  /** The newest activation among the sounding alarms (host time); null when none sounds. */
  newestActivation: number | null
}

/** O(n) over the alarms: the most urgent sounding priority and its newest activation. */
export function soundingOf(alarms: Iterable<AlarmView>): Sounding {
  let highest: AlarmPriority | null = null
  let newest: number | null = null
  for (const a of alarms) {
    if (!isSounding(a)) continue
    const p = a.definition.priority
    if (highest === null || PRIORITY_RANK[p] < PRIORITY_RANK[highest]) highest = p
    const at = a.activatedAt ?? a.since
    if (newest === null || at > newest) newest = at
  }
  return { highest, newestActivation: newest }
}

/**
 * Silence holds until an alarm activates after it: `silencedThrough` is the newest activation
 * heard when the operator silenced, so a later activation sounds again.
 */
export function hearState(sounding: Sounding, silencedThrough: number | null): HearState {
  if (sounding.highest === null) return 'off'
  if (
    silencedThrough !== null &&
    sounding.newestActivation !== null &&
    sounding.newestActivation <= silencedThrough
  )
    return 'silenced'
  return sounding.highest
}

/** One tone of a pattern. */
export interface Tone {
  /** Hz. */
  freq: number
  /** From the start of the pattern, ms. */
  at: number
  durationMs: number
  /** 0..1 before the master volume. */
  gain: number
}

/** A priority's pattern: its tones, repeated every `repeatMs`. */
export interface SoundPattern {
  tones: Tone[]
  repeatMs: number
}

const beeps = (freq: number, n: number, onMs: number, offMs: number, gain: number): Tone[] =>
  Array.from({ length: n }, (_, i) => ({ freq, at: i * (onMs + offMs), durationMs: onMs, gain }))

/** Distinct by ear: the more urgent, the higher, faster and more insistent. */
export const SOUND_PATTERNS: Record<AlarmPriority, SoundPattern> = {
  critical: { tones: beeps(1250, 4, 120, 80, 1), repeatMs: 1200 },
  high: { tones: beeps(950, 3, 180, 120, 0.85), repeatMs: 2500 },
  medium: {
    tones: [
      { freq: 720, at: 0, durationMs: 250, gain: 0.7 },
      { freq: 560, at: 350, durationMs: 250, gain: 0.7 },
    ],
    repeatMs: 5000,
  },
  low: { tones: [{ freq: 480, at: 0, durationMs: 400, gain: 0.45 }], repeatMs: 10_000 },
}

/** The pattern to play for a hear-state; null plays nothing. */
export function patternFor(state: HearState): SoundPattern | null {
  return state === 'silenced' || state === 'off' ? null : SOUND_PATTERNS[state]
}
