import type { AlarmState, JournalCause } from '../contract'

/**
 * The live state of one alarm: everything the state machine needs, persisted after every
 * change so a restart or a crash finds each alarm exactly as it was.
 */
export interface AlarmRuntime {
  /** The ISA-18.2 state shown to the operator. */
  state: AlarmState
  /** When `state` was entered. */
  since: number
  /** The evaluated process condition (deadband applied), before the on/off delays. */
  condition: boolean
  /** When `condition` last changed; the delays count from here. */
  conditionSince: number
  /** The alarm condition after the delays. Tracked also while shelved, suppressed or out of service. */
  active: boolean
  /** The last activation (after the on-delay), or null. */
  activatedAt: number | null
  /** Set while shelved: when the shelving ends by itself. */
  shelvedUntil: number | null
  outOfService: boolean
  suppressed: boolean
}

/** What drives the machine. Every input carries its time; the machine never reads a clock. */
export type AlarmInput =
  /** The evaluated condition at time t (the same value may repeat: nothing happens then). */
  | { type: 'condition'; t: number; active: boolean }
  /** Time passes: on/off delays and shelving expiries that have elapsed by t take effect. */
  | { type: 'tick'; t: number }
  | { type: 'ack'; t: number }
  | { type: 'shelve'; t: number; until: number }
  | { type: 'unshelve'; t: number }
  | { type: 'out-of-service'; t: number }
  | { type: 'return-to-service'; t: number }
  | { type: 'suppress'; t: number }
  | { type: 'unsuppress'; t: number }

/** A change of the displayed state, for the journal. */
export interface Transition {
  /** When it happened: for a delay or an expiry, the moment it elapsed (not when it was noticed). */
  t: number
  cause: JournalCause
  from: AlarmState
  to: AlarmState
}

/** The timing settings of a definition that the machine uses. */
export interface AlarmTiming {
  onDelayMs: number
  offDelayMs: number
  latch: boolean
}

export interface StepResult {
  next: AlarmRuntime
  /** In time order; empty when the displayed state did not change. */
  transitions: Transition[]
  /** Set when an operator action does not apply in this state (e.g. ack in `normal`). */
  refused: string | null
}

/** A new alarm: normal, in service, condition clear since `t`. */
export function initialRuntime(t: number): AlarmRuntime {
  return {
    state: 'normal',
    since: t,
    condition: false,
    conditionSince: t,
    active: false,
    activatedAt: null,
    shelvedUntil: null,
    outOfService: false,
    suppressed: false,
  }
}

/** What the operator sees beside the state: who acknowledged or shelved it, and why. */
export interface AlarmDetail {
  value: number | null
  ackedBy: string | null
  ackedAt: number | null
  ackNote: string | null
  shelvedBy: string | null
  shelveReason: string | null
  eventId: number | null
  contributors: { sensorId: string; share: number }[]
}

/** One alarm's persisted state (a row of `alarm_state`). */
export interface StoredAlarmState {
  runtime: AlarmRuntime
  detail: AlarmDetail
}

export function emptyDetail(): AlarmDetail {
  return {
    value: null,
    ackedBy: null,
    ackedAt: null,
    ackNote: null,
    shelvedBy: null,
    shelveReason: null,
    eventId: null,
    contributors: [],
  }
}
