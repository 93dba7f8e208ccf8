/**
 * The ISA-18.2 alarm state machine: a pure function from (runtime, input, timing) to the next
 * runtime, the journal transitions and an optional refusal. It never reads a clock (every input
 * carries its time) and never mutates its argument.
 *
 * Runtime fields: `condition`/`conditionSince` are the raw evaluated condition (deadband already
 * applied, see condition.ts) and when it last changed; `active` is the condition after the
 * on/off delays; `state` is what the operator sees.
 *
 * Time
 * - An input's time is clamped to max(t, rt.since, rt.conditionSince): a late input never moves
 *   anything backwards.
 * - Before an input takes effect, time advances to its t: every event that has elapsed by then is
 *   applied, in time order, stamped with the moment it elapsed (not when it was noticed). The
 *   events are:
 *   - a shelving expiry at `shelvedUntil` (cause 'shelve-expired'; on a tie with a delay, first);
 *   - an on-delay: condition && !active && t - conditionSince >= onDelayMs → activation at
 *     conditionSince + onDelayMs;
 *   - an off-delay: !condition && active && t - conditionSince >= offDelayMs → clear at
 *     conditionSince + offDelayMs.
 *   So a `condition` input at t gives the same result as a `tick` at t followed by that input:
 *   a delay that elapsed before the change is not lost when nobody ticked in between.
 * - `condition` with a new value then sets condition and conditionSince = t and runs the delay
 *   check again (with 0 delays the activation or clear happens at t). The same value repeated is
 *   just a tick.
 * - `nextDeadline` gives the earliest time at which a tick would change something.
 *
 * Hidden = outOfService || shelved (shelvedUntil !== null) || suppressed; the displayed state
 * then is, by precedence, 'out-of-service' > 'shelved' > 'suppressed'. While hidden, `active`
 * and `activatedAt` still follow the condition and the delays, but activations and clears make
 * no transition rows (a chattering hidden alarm stays out of the journal).
 *
 * When not hidden
 * - activation: normal | rtn-unacked | latched → unacked ('activate'); activatedAt = its time.
 * - clear: unacked → latch ? latched : rtn-unacked; acked → latch ? latched : normal ('clear').
 * - ack: unacked → acked ('ack'); rtn-unacked → normal ('ack'); latched → normal ('reset').
 *   Refused in normal, acked and every hidden state.
 *
 * Operator and system actions
 * - shelve(until): from any state but out-of-service (refused then, and when until <= t); sets
 *   shelvedUntil; → shelved ('shelve'). Re-shelving a shelved alarm updates the expiry and makes a
 *   shelved → shelved row so the new expiry is journaled.
 * - unshelve (operator, 'unshelve') or the expiry ('shelve-expired'): refused when not shelved;
 *   shelvedUntil = null; → suppressed if suppressed, else active ? unacked (re-annunciated,
 *   activatedAt unchanged) : normal.
 * - out-of-service: refused when already out of service; clears the shelving; → out-of-service.
 * - return-to-service: refused unless out of service; → suppressed ? suppressed : active ?
 *   unacked : normal.
 * - suppress / unsuppress: set / clear the flag. The display changes only when nothing of higher
 *   precedence hides the alarm (suppress → suppressed; unsuppress → active ? unacked : normal).
 *   Suppressing a suppressed alarm or unsuppressing one that is not: a silent no-op (these come
 *   from the system, not from operators).
 *
 * A transition is emitted only when from !== to, except the re-shelve. `since` is the time of the
 * last transition. Several transitions may come from one input; they are in time order.
 */
import type { AlarmState, JournalCause } from '../contract'
import type { AlarmInput, AlarmRuntime, AlarmTiming, StepResult, Transition } from './alarm-runtime'

/** Shown to the operator and waiting for nothing or for an acknowledgement: not normal, not hidden. */
export function isAnnunciated(state: AlarmState): boolean {
  return state === 'unacked' || state === 'acked' || state === 'rtn-unacked' || state === 'latched'
}

/** Waiting for an operator's acknowledgement (or, for a latched alarm, a reset). */
export function needsAck(state: AlarmState): boolean {
  return state === 'unacked' || state === 'rtn-unacked' || state === 'latched'
}

/** Hidden from the operator: shelved, suppressed or out of service. */
export function isHidden(rt: AlarmRuntime): boolean {
  return rt.outOfService || rt.shelvedUntil !== null || rt.suppressed
}

/** The displayed state derived from the flags; used when an alarm comes back into view. */
function recomputed(rt: AlarmRuntime): AlarmState {
  if (rt.outOfService) return 'out-of-service'
  if (rt.shelvedUntil !== null) return 'shelved'
  if (rt.suppressed) return 'suppressed'
  return rt.active ? 'unacked' : 'normal'
}

type DelayEvent = { at: number; kind: 'activate' | 'clear' }

/** The pending on- or off-delay, whether or not it has elapsed yet. */
function pendingDelay(rt: AlarmRuntime, timing: AlarmTiming): DelayEvent | null {
  if (rt.condition && !rt.active) {
    return { at: rt.conditionSince + Math.max(0, timing.onDelayMs), kind: 'activate' }
  }
  if (!rt.condition && rt.active) {
    return { at: rt.conditionSince + Math.max(0, timing.offDelayMs), kind: 'clear' }
  }
  return null
}

/**
 * The earliest time at which a `tick` would change something (an on- or off-delay elapsing, or a
 * shelving expiring), or null when nothing is pending. May be in the past if nobody ticked.
 */
export function nextDeadline(rt: AlarmRuntime, timing: AlarmTiming): number | null {
  const delay = pendingDelay(rt, timing)
  const times: number[] = []
  if (delay) times.push(delay.at)
  if (rt.shelvedUntil !== null) times.push(rt.shelvedUntil)
  return times.length === 0 ? null : Math.min(...times)
}

/** The working state of one step: a private copy of the runtime and the rows so far. */
class Stepper {
  readonly rt: AlarmRuntime
  readonly transitions: Transition[] = []

  constructor(
    rt: AlarmRuntime,
    private readonly timing: AlarmTiming,
  ) {
    this.rt = { ...rt }
  }

  /** Changes the displayed state; a row only when it differs (or `always`, for the re-shelve). */
  show(to: AlarmState, at: number, cause: JournalCause, always = false): void {
    const from = this.rt.state
    if (from === to && !always) return
    const t = Math.max(at, this.rt.since)
    this.rt.state = to
    this.rt.since = t
    this.transitions.push({ t, cause, from, to })
  }

  /** Applies, in time order, every expiry and delay that has elapsed by t. */
  advance(t: number): void {
    // At most one expiry and, after an activation or a clear, no further delay (the condition does
    // not change here): two rounds suffice; the loop bound only guards against surprises.
    for (let round = 0; round < 4; round++) {
      const delay = pendingDelay(this.rt, this.timing)
      const expiry = this.rt.shelvedUntil
      const delayDue = delay !== null && delay.at <= t
      const expiryDue = expiry !== null && expiry <= t
      if (expiryDue && (!delayDue || expiry <= delay.at)) this.unshelve(expiry, 'shelve-expired')
      else if (delayDue) this.applyDelay(delay)
      else return
    }
  }

  private applyDelay(event: DelayEvent): void {
    const rt = this.rt
    if (event.kind === 'activate') {
      rt.active = true
      rt.activatedAt = event.at
      if (isHidden(rt)) return
      const s = rt.state
      if (s === 'normal' || s === 'rtn-unacked' || s === 'latched') {
        this.show('unacked', event.at, 'activate')
      }
    } else {
      rt.active = false
      if (isHidden(rt)) return
      const latched = this.timing.latch
      if (rt.state === 'unacked') this.show(latched ? 'latched' : 'rtn-unacked', event.at, 'clear')
      else if (rt.state === 'acked') this.show(latched ? 'latched' : 'normal', event.at, 'clear')
    }
  }

  unshelve(at: number, cause: 'unshelve' | 'shelve-expired'): void {
    this.rt.shelvedUntil = null
    this.show(recomputed(this.rt), at, cause)
  }
}

function refusalToAck(rt: AlarmRuntime): string {
  switch (rt.state) {
    case 'normal':
      return 'nothing to acknowledge: the alarm is normal'
    case 'acked':
      return 'nothing to acknowledge: the alarm is already acknowledged'
    case 'shelved':
      return 'cannot acknowledge: the alarm is shelved'
    case 'suppressed':
      return 'cannot acknowledge: the alarm is suppressed'
    case 'out-of-service':
      return 'cannot acknowledge: the alarm is out of service'
    default:
      return `cannot acknowledge an alarm in state ${rt.state}`
  }
}

/** One input through the machine. Pure: `rt` is left as it was. */
export function step(rt: AlarmRuntime, input: AlarmInput, timing: AlarmTiming): StepResult {
  const m = new Stepper(rt, timing)
  const r = m.rt
  const t = Math.max(input.t, rt.since, rt.conditionSince)
  let refused: string | null = null

  m.advance(t)

  switch (input.type) {
    case 'tick':
      break

    case 'condition':
      if (input.active !== r.condition) {
        r.condition = input.active
        r.conditionSince = t
        m.advance(t)
      }
      break

    case 'ack':
      if (isHidden(r)) refused = refusalToAck(r)
      else if (r.state === 'unacked') m.show('acked', t, 'ack')
      else if (r.state === 'rtn-unacked') m.show('normal', t, 'ack')
      else if (r.state === 'latched') m.show('normal', t, 'reset')
      else refused = refusalToAck(r)
      break

    case 'shelve':
      if (r.outOfService) refused = 'cannot shelve: the alarm is out of service'
      else if (!(input.until > t)) refused = 'cannot shelve: the shelving must end in the future'
      else {
        r.shelvedUntil = input.until
        m.show('shelved', t, 'shelve', true)
      }
      break

    case 'unshelve':
      if (r.shelvedUntil === null) refused = 'cannot unshelve: the alarm is not shelved'
      else m.unshelve(t, 'unshelve')
      break

    case 'out-of-service':
      if (r.outOfService) refused = 'the alarm is already out of service'
      else {
        r.outOfService = true
        r.shelvedUntil = null
        m.show('out-of-service', t, 'out-of-service')
      }
      break

    case 'return-to-service':
      if (!r.outOfService) refused = 'cannot return to service: the alarm is in service'
      else {
        r.outOfService = false
        m.show(recomputed(r), t, 'return-to-service')
      }
      break

    case 'suppress':
      if (!r.suppressed) {
        r.suppressed = true
        m.show(recomputed(r), t, 'suppress')
      }
      break

    case 'unsuppress':
      if (r.suppressed) {
        r.suppressed = false
        m.show(recomputed(r), t, 'unsuppress')
      }
      break

    default: {
      const never: never = input
      throw new Error(`unknown alarm input ${JSON.stringify(never)}`)
    }
  }

  return { next: r, transitions: m.transitions, refused }
}
