import { describe, expect, it } from 'vitest'
import type { AlarmState, JournalCause } from '../../../../src/contract'
import {
  initialRuntime,
  type AlarmInput,
  type AlarmRuntime,
  type AlarmTiming,
  type Transition,
} from '../../../../src/alarms/alarm-runtime'
import {
  isAnnunciated,
  isHidden,
  needsAck,
  nextDeadline,
  step,
} from '../../../../src/alarms/state-machine'
import { limitCondition } from '../../../../src/alarms/condition'
import { seededRandom } from '../../../../src/ingest/random'

const ON_DELAY = 5_000
const OFF_DELAY = 10_000
const immediate = (latch: boolean): AlarmTiming => ({ onDelayMs: 0, offDelayMs: 0, latch })
const delayed = (latch: boolean): AlarmTiming => ({
  onDelayMs: ON_DELAY,
  offDelayMs: OFF_DELAY,
  latch,
})

/** Feeds inputs one after the other; fails on any refusal; returns the runtime and all rows. */
function drive(rt: AlarmRuntime, inputs: AlarmInput[], timing: AlarmTiming) {
  const transitions: Transition[] = []
  for (const input of inputs) {
    const r = step(rt, input, timing)
    expect(r.refused, `${input.type} at ${input.t}`).toBeNull()
    transitions.push(...r.transitions)
    rt = r.next
  }
  return { rt, transitions }
}

const causes = (ts: Transition[]) => ts.map((x) => x.cause)

const SHELVED_UNTIL = 3_600_000
type Start = AlarmState | `${'shelved' | 'suppressed' | 'out-of-service'}+active`

/**
 * Drives a fresh alarm (no delays) into `state`. `+active` variants of the hidden states have the
 * condition active underneath. Every path ends before t = 10 s.
 */
function reach(start: Start, { latch }: { latch: boolean }): AlarmRuntime {
  const [state, underneath] = start.split('+') as [AlarmState, string | undefined]
  const on: AlarmInput = { type: 'condition', t: 1000, active: true }
  const paths: Record<AlarmState, AlarmInput[]> = {
    normal: [],
    unacked: [on],
    acked: [on, { type: 'ack', t: 2000 }],
    'rtn-unacked': [on, { type: 'condition', t: 2000, active: false }],
    latched: [on, { type: 'condition', t: 2000, active: false }],
    shelved: [{ type: 'shelve', t: 3000, until: SHELVED_UNTIL }],
    suppressed: [{ type: 'suppress', t: 3000 }],
    'out-of-service': [{ type: 'out-of-service', t: 3000 }],
  }
  const path = underneath === 'active' ? [on, ...paths[state]] : paths[state]
  const { rt } = drive(initialRuntime(0), path, immediate(latch))
  expect(rt.state).toBe(state)
  expect(rt.active).toBe(underneath === 'active' || state === 'unacked' || state === 'acked')
  return rt
}

const T = 100_000
const FAR = 10 * SHELVED_UNTIL

/**
 * Each input kind: the steps it takes (only the last one's result is checked, the others must
 * make no rows), the timing, and when its rows must be stamped given the start.
 */
type InputKind =
  | 'condition on'
  | 'condition off'
  | 'tick past delays'
  | 'ack'
  | 'shelve'
  | 'unshelve'
  | 'shelve expiry'
  | 'out-of-service'
  | 'return-to-service'
  | 'suppress'
  | 'unsuppress'

interface InputDef {
  steps: (rt: AlarmRuntime) => AlarmInput[]
  delays: boolean
  /** The expected time of the rows. */
  at: (rt: AlarmRuntime) => number
  /** The expected `active` afterwards. */
  active: (rt: AlarmRuntime) => boolean
}

const same = (rt: AlarmRuntime) => rt.active
const INPUTS: Record<InputKind, InputDef> = {
  'condition on': {
    steps: () => [{ type: 'condition', t: T, active: true }],
    delays: false,
    at: () => T,
    active: () => true,
  },
  'condition off': {
    steps: () => [{ type: 'condition', t: T, active: false }],
    delays: false,
    at: () => T,
    active: () => false,
  },
  // The condition flips at T (nothing yet: the delays hold it), then a tick long after.
  'tick past delays': {
    steps: (rt) => [
      { type: 'condition', t: T, active: !rt.condition },
      { type: 'tick', t: T + 60_000 },
    ],
    delays: true,
    at: (rt) => T + (rt.active ? OFF_DELAY : ON_DELAY),
    active: (rt) => !rt.active,
  },
  ack: { steps: () => [{ type: 'ack', t: T }], delays: false, at: () => T, active: same },
  shelve: {
    steps: () => [{ type: 'shelve', t: T, until: T + 1_800_000 }],
    delays: false,
    at: () => T,
    active: same,
  },
  unshelve: { steps: () => [{ type: 'unshelve', t: T }], delays: false, at: () => T, active: same },
  'shelve expiry': {
    steps: () => [{ type: 'tick', t: FAR }],
    delays: false,
    at: () => SHELVED_UNTIL,
    active: same,
  },
  'out-of-service': {
    steps: () => [{ type: 'out-of-service', t: T }],
    delays: false,
    at: () => T,
    active: same,
  },
  'return-to-service': {
    steps: () => [{ type: 'return-to-service', t: T }],
    delays: false,
    at: () => T,
    active: same,
  },
  suppress: { steps: () => [{ type: 'suppress', t: T }], delays: false, at: () => T, active: same },
  unsuppress: {
    steps: () => [{ type: 'unsuppress', t: T }],
    delays: false,
    at: () => T,
    active: same,
  },
}

/**
 * Expected outcome, written by hand from the semantics:
 * '-' no change and no row; '!' refused (no change, no row); 'state:cause' one row to that state.
 */
type Outcome = '-' | '!' | `${AlarmState}:${JournalCause}`
type Row = Record<InputKind, Outcome>

/** What every start shares for shelve / out-of-service / suppress when nothing hides it. */
const visibleCommon = {
  shelve: 'shelved:shelve',
  unshelve: '!',
  'shelve expiry': '-',
  'out-of-service': 'out-of-service:out-of-service',
  'return-to-service': '!',
  suppress: 'suppressed:suppress',
  unsuppress: '-',
} as const

const hiddenConditions = {
  'condition on': '-',
  'condition off': '-',
  'tick past delays': '-',
  ack: '!',
} as const

const hiddenRows = {
  shelved: {
    ...hiddenConditions,
    shelve: 'shelved:shelve',
    unshelve: 'normal:unshelve',
    'shelve expiry': 'normal:shelve-expired',
    'out-of-service': 'out-of-service:out-of-service',
    'return-to-service': '!',
    suppress: '-',
    unsuppress: '-',
  },
  'shelved+active': {
    ...hiddenConditions,
    shelve: 'shelved:shelve',
    unshelve: 'unacked:unshelve',
    'shelve expiry': 'unacked:shelve-expired',
    'out-of-service': 'out-of-service:out-of-service',
    'return-to-service': '!',
    suppress: '-',
    unsuppress: '-',
  },
  suppressed: {
    ...hiddenConditions,
    shelve: 'shelved:shelve',
    unshelve: '!',
    'shelve expiry': '-',
    'out-of-service': 'out-of-service:out-of-service',
    'return-to-service': '!',
    suppress: '-',
    unsuppress: 'normal:unsuppress',
  },
  'suppressed+active': {
    ...hiddenConditions,
    shelve: 'shelved:shelve',
    unshelve: '!',
    'shelve expiry': '-',
    'out-of-service': 'out-of-service:out-of-service',
    'return-to-service': '!',
    suppress: '-',
    unsuppress: 'unacked:unsuppress',
  },
  'out-of-service': {
    ...hiddenConditions,
    shelve: '!',
    unshelve: '!',
    'shelve expiry': '-',
    'out-of-service': '!',
    'return-to-service': 'normal:return-to-service',
    suppress: '-',
    unsuppress: '-',
  },
  'out-of-service+active': {
    ...hiddenConditions,
    shelve: '!',
    unshelve: '!',
    'shelve expiry': '-',
    'out-of-service': '!',
    'return-to-service': 'unacked:return-to-service',
    suppress: '-',
    unsuppress: '-',
  },
} as const satisfies Partial<Record<Start, Row>>

const TABLE: Record<'latch' | 'no latch', Partial<Record<Start, Row>>> = {
  'no latch': {
    normal: {
      'condition on': 'unacked:activate',
      'condition off': '-',
      'tick past delays': 'unacked:activate',
      ack: '!',
      ...visibleCommon,
    },
    unacked: {
      'condition on': '-',
      'condition off': 'rtn-unacked:clear',
      'tick past delays': 'rtn-unacked:clear',
      ack: 'acked:ack',
      ...visibleCommon,
    },
    acked: {
      'condition on': '-',
      'condition off': 'normal:clear',
      'tick past delays': 'normal:clear',
      ack: '!',
      ...visibleCommon,
    },
    'rtn-unacked': {
      'condition on': 'unacked:activate',
      'condition off': '-',
      'tick past delays': 'unacked:activate',
      ack: 'normal:ack',
      ...visibleCommon,
    },
    ...hiddenRows,
  },
  latch: {
    normal: {
      'condition on': 'unacked:activate',
      'condition off': '-',
      'tick past delays': 'unacked:activate',
      ack: '!',
      ...visibleCommon,
    },
    unacked: {
      'condition on': '-',
      'condition off': 'latched:clear',
      'tick past delays': 'latched:clear',
      ack: 'acked:ack',
      ...visibleCommon,
    },
    acked: {
      'condition on': '-',
      'condition off': 'latched:clear',
      'tick past delays': 'latched:clear',
      ack: '!',
      ...visibleCommon,
    },
    latched: {
      'condition on': 'unacked:activate',
      'condition off': '-',
      'tick past delays': 'unacked:activate',
      ack: 'normal:reset',
      ...visibleCommon,
    },
    ...hiddenRows,
  },
}

/** Freezes a runtime so any mutation by the machine throws (ESM is strict mode). */
const frozen = (rt: AlarmRuntime): AlarmRuntime => Object.freeze({ ...rt })

describe('alarm state machine: every state × every input', () => {
  for (const [mode, rows] of Object.entries(TABLE) as [
    keyof typeof TABLE,
    Partial<Record<Start, Row>>,
  ][]) {
    const latch = mode === 'latch'
    for (const [start, row] of Object.entries(rows) as [Start, Row][]) {
      for (const [kind, expected] of Object.entries(row) as [InputKind, Outcome][]) {
        it(`${mode}: ${start} + ${kind} → ${expected}`, () => {
          const def = INPUTS[kind]
          const timing = def.delays ? delayed(latch) : immediate(latch)
          const rt0 = frozen(reach(start, { latch }))
          const before = structuredClone(rt0)
          const steps = def.steps(rt0)
          let rt = rt0
          for (const input of steps.slice(0, -1)) {
            const r = step(rt, input, timing)
            expect(r.transitions).toEqual([])
            expect(r.refused).toBeNull()
            rt = frozen(r.next)
          }
          const last = steps[steps.length - 1]!
          const r = step(rt, last, timing)
          expect(rt0).toEqual(before)

          if (expected === '!') {
            expect(r.refused).toMatch(/\w+ \w+/)
            expect(r.transitions).toEqual([])
            expect(r.next).toEqual(rt)
            return
          }
          expect(r.refused).toBeNull()
          expect(r.next.active).toBe(def.active(rt0))
          if (expected === '-') {
            expect(r.transitions).toEqual([])
            expect(r.next.state).toBe(rt0.state)
            expect(r.next.since).toBe(rt0.since)
            return
          }
          const [to, cause] = expected.split(':') as [AlarmState, JournalCause]
          const at = def.at(rt0)
          expect(r.transitions).toEqual([{ t: at, cause, from: rt0.state, to }])
          expect(r.next.state).toBe(to)
          expect(r.next.since).toBe(at)
        })
      }
    }
  }
})

describe('alarm state machine: details of the transitions', () => {
  it('an activation sets activatedAt to its time; an ack does not move it', () => {
    const { rt } = drive(
      initialRuntime(0),
      [
        { type: 'condition', t: 1000, active: true },
        { type: 'ack', t: 4000 },
      ],
      immediate(false),
    )
    expect(rt.activatedAt).toBe(1000)
    expect(rt.state).toBe('acked')
  })

  it('refusals say why in a sentence', () => {
    const r = step(initialRuntime(0), { type: 'ack', t: 10 }, immediate(false))
    expect(r.refused).toBe('nothing to acknowledge: the alarm is normal')
    const acked = reach('acked', { latch: false })
    expect(step(acked, { type: 'ack', t: T }, immediate(false)).refused).toMatch(/already/)
    const oos = reach('out-of-service', { latch: false })
    expect(
      step(oos, { type: 'shelve', t: T, until: T + 60_000 }, immediate(false)).refused,
    ).toMatch(/out of service/)
  })

  it('shelving must end in the future', () => {
    const rt = reach('unacked', { latch: false })
    for (const until of [T, T - 1]) {
      const r = step(rt, { type: 'shelve', t: T, until }, immediate(false))
      expect(r.refused).toMatch(/future/)
      expect(r.next).toEqual(rt)
    }
  })

  it('re-shelving updates the expiry and journals it as shelved → shelved', () => {
    const rt = reach('shelved', { latch: false })
    const r = step(rt, { type: 'shelve', t: T, until: T + 120_000 }, immediate(false))
    expect(r.next.shelvedUntil).toBe(T + 120_000)
    expect(r.transitions).toEqual([{ t: T, cause: 'shelve', from: 'shelved', to: 'shelved' }])
    // The old expiry no longer applies.
    const later = step(r.next, { type: 'tick', t: SHELVED_UNTIL - 1 }, immediate(false))
    expect(later.transitions.map((x) => x.cause)).toEqual(['shelve-expired'])
    expect(later.transitions[0]!.t).toBe(T + 120_000)
  })

  it('out of service clears the shelving', () => {
    const rt = reach('shelved+active', { latch: false })
    const { rt: oos } = drive(rt, [{ type: 'out-of-service', t: T }], immediate(false))
    expect(oos.shelvedUntil).toBeNull()
    expect(nextDeadline(oos, immediate(false))).toBeNull()
    const back = step(oos, { type: 'return-to-service', t: T + 1 }, immediate(false))
    expect(back.next.state).toBe('unacked')
  })

  it('suppression under a shelving or out of service is kept and shows once they end', () => {
    const timing = immediate(false)
    const shelved = reach('shelved', { latch: false })
    const s = step(shelved, { type: 'suppress', t: T }, timing)
    expect(s.transitions).toEqual([])
    expect(s.next.suppressed).toBe(true)
    expect(s.next.state).toBe('shelved')
    const u = step(s.next, { type: 'unshelve', t: T + 1 }, timing)
    expect(u.transitions).toEqual([
      { t: T + 1, cause: 'unshelve', from: 'shelved', to: 'suppressed' },
    ])

    const oos = reach('out-of-service+active', { latch: false })
    const { rt } = drive(
      oos,
      [
        { type: 'suppress', t: T },
        { type: 'return-to-service', t: T + 1 },
      ],
      timing,
    )
    expect(rt.state).toBe('suppressed')
    const un = step(rt, { type: 'unsuppress', t: T + 2 }, timing)
    expect(un.transitions).toEqual([
      { t: T + 2, cause: 'unsuppress', from: 'suppressed', to: 'unacked' },
    ])
  })

  it('unsuppress under a shelving changes nothing visible but clears the flag', () => {
    const timing = immediate(false)
    const { rt } = drive(
      initialRuntime(0),
      [
        { type: 'suppress', t: 1000 },
        { type: 'shelve', t: 2000, until: 60_000 },
        { type: 'unsuppress', t: 3000 },
      ],
      timing,
    )
    expect(rt.state).toBe('shelved')
    expect(rt.suppressed).toBe(false)
    const r = step(rt, { type: 'tick', t: 70_000 }, timing)
    expect(r.transitions).toEqual([
      { t: 60_000, cause: 'shelve-expired', from: 'shelved', to: 'normal' },
    ])
  })

  it('inputs stamped before since or conditionSince are treated as happening then', () => {
    const timing = delayed(false)
    const rt = reach('unacked', { latch: false }) // since 1000
    const ack = step(rt, { type: 'ack', t: 10 }, timing)
    expect(ack.transitions).toEqual([{ t: 1000, cause: 'ack', from: 'unacked', to: 'acked' }])
    const off = step(ack.next, { type: 'condition', t: 5, active: false }, timing)
    expect(off.next.conditionSince).toBe(1000)
    expect(nextDeadline(off.next, timing)).toBe(1000 + OFF_DELAY)
    const tick = step(off.next, { type: 'tick', t: 0 }, timing)
    expect(tick.transitions).toEqual([])
    expect(tick.next).toEqual(off.next)
  })
})

describe('alarm state machine: on- and off-delays', () => {
  const timing = delayed(false)

  /** Condition changes at the given times (alternating from on), ticks every 500 ms up to `end`. */
  function run(changes: number[], end: number, start = initialRuntime(0)) {
    const inputs: AlarmInput[] = []
    let next = 0
    for (let t = 0; t <= end; t += 500) {
      while (next < changes.length && changes[next]! <= t) {
        inputs.push({ type: 'condition', t: changes[next]!, active: next % 2 === 0 })
        next++
      }
      inputs.push({ type: 'tick', t })
    }
    return drive(start, inputs, timing)
  }

  it('a condition shorter than the on-delay does nothing', () => {
    const { rt, transitions } = run([1000, 1000 + ON_DELAY - 1, 20_000, 23_000], 60_000)
    expect(transitions).toEqual([])
    expect(rt.active).toBe(false)
    expect(rt.activatedAt).toBeNull()
  })

  it('a longer one activates once, stamped when the on-delay elapsed', () => {
    const { rt, transitions } = run([1200], 60_000)
    expect(transitions).toEqual([
      { t: 1200 + ON_DELAY, cause: 'activate', from: 'normal', to: 'unacked' },
    ])
    expect(rt.activatedAt).toBe(1200 + ON_DELAY)
  })

  it('nextDeadline is that moment, and a tick exactly then activates', () => {
    const r = step(initialRuntime(0), { type: 'condition', t: 1200, active: true }, timing)
    expect(r.transitions).toEqual([])
    expect(nextDeadline(r.next, timing)).toBe(1200 + ON_DELAY)
    const early = step(r.next, { type: 'tick', t: 1200 + ON_DELAY - 1 }, timing)
    expect(early.transitions).toEqual([])
    const due = step(r.next, { type: 'tick', t: 1200 + ON_DELAY }, timing)
    expect(causes(due.transitions)).toEqual(['activate'])
    expect(nextDeadline(due.next, timing)).toBeNull()
  })

  it('noticed late (one tick long after), the activation is still stamped at the delay', () => {
    const r1 = step(initialRuntime(0), { type: 'condition', t: 1200, active: true }, timing)
    const r2 = step(r1.next, { type: 'tick', t: 900_000 }, timing)
    expect(r2.transitions).toEqual([
      { t: 1200 + ON_DELAY, cause: 'activate', from: 'normal', to: 'unacked' },
    ])
    expect(r2.next.since).toBe(1200 + ON_DELAY)
  })

  it('a clear shorter than the off-delay does nothing; a longer one clears once at the delay', () => {
    const active = run([1000], 10_000).rt
    expect(active.state).toBe('unacked')
    const blips = run([], 60_000, active) // no changes: stays
    expect(blips.transitions).toEqual([])
    const inputs: AlarmInput[] = [
      { type: 'condition', t: 20_000, active: false },
      { type: 'tick', t: 25_000 },
      { type: 'condition', t: 20_000 + OFF_DELAY - 1, active: true },
      { type: 'tick', t: 40_000 },
      { type: 'condition', t: 50_000, active: false },
    ]
    for (let t = 50_000; t <= 90_000; t += 700) inputs.push({ type: 'tick', t })
    const { rt, transitions } = drive(active, inputs, timing)
    expect(transitions).toEqual([
      { t: 50_000 + OFF_DELAY, cause: 'clear', from: 'unacked', to: 'rtn-unacked' },
    ])
    expect(rt.activatedAt).toBe(1000 + ON_DELAY)
  })

  it('a condition change without a tick in between does not lose a delay that elapsed before it', () => {
    const r1 = step(initialRuntime(0), { type: 'condition', t: 1000, active: true }, timing)
    const r2 = step(r1.next, { type: 'condition', t: 30_000, active: false }, timing)
    expect(r2.transitions).toEqual([
      { t: 1000 + ON_DELAY, cause: 'activate', from: 'normal', to: 'unacked' },
    ])
    expect(r2.next.conditionSince).toBe(30_000)
    expect(nextDeadline(r2.next, timing)).toBe(30_000 + OFF_DELAY)
    // Same as ticking first.
    const ticked = step(r1.next, { type: 'tick', t: 30_000 }, timing)
    const viaTick = step(ticked.next, { type: 'condition', t: 30_000, active: false }, timing)
    expect([...ticked.transitions, ...viaTick.transitions]).toEqual(r2.transitions)
    expect(viaTick.next).toEqual(r2.next)
  })

  it('nextDeadline is the earlier of a delay and a shelving expiry', () => {
    const shelved = reach('shelved', { latch: false })
    expect(nextDeadline(shelved, timing)).toBe(SHELVED_UNTIL)
    const on = step(shelved, { type: 'condition', t: T, active: true }, timing)
    expect(nextDeadline(on.next, timing)).toBe(T + ON_DELAY)
    const late = step(shelved, { type: 'condition', t: SHELVED_UNTIL - 1000, active: true }, timing)
    expect(nextDeadline(late.next, timing)).toBe(SHELVED_UNTIL)
    expect(nextDeadline(initialRuntime(0), timing)).toBeNull()
  })
})

describe('alarm state machine: chattering', () => {
  const LIMIT = 100
  const TEN_MINUTES = 600_000

  /**
   * A value oscillating around the limit (±0.5, inside the deadband) every `periodMs`, through
   * limitCondition and the machine, with a tick every second. Returns the journal rows.
   */
  function chatter(deadband: number, timing: AlarmTiming, periodMs: number) {
    const def = { level: 'H' as const, limit: LIMIT, deadband }
    let rt = initialRuntime(0)
    const rows: Transition[] = []
    let conditionChanges = 0
    for (let t = 0; t <= TEN_MINUTES; t += 1000) {
      const high = Math.floor(t / periodMs) % 2 === 0
      const value = high ? LIMIT + 0.5 : LIMIT - 0.5
      const condition = limitCondition(def, value, rt.condition)
      if (condition !== rt.condition) conditionChanges++
      const r = step(rt, { type: 'condition', t, active: condition }, timing)
      rows.push(...r.transitions)
      rt = r.next
    }
    return { rows, rt, conditionChanges }
  }

  it('toggling every second inside the deadband: one activation, no clears', () => {
    const { rows, rt } = chatter(1, immediate(false), 1000)
    expect(causes(rows)).toEqual(['activate'])
    expect(rt.state).toBe('unacked')
  })

  it('without the deadband the same signal floods the journal', () => {
    const { rows } = chatter(0, immediate(false), 1000)
    const activations = causes(rows).filter((c) => c === 'activate').length
    const clears = causes(rows).filter((c) => c === 'clear').length
    expect(activations).toBeGreaterThan(250)
    expect(clears).toBeGreaterThan(250)
  })

  it('with on/off delays, toggling every 2 s: at most one activation, with or without deadband', () => {
    const timing = delayed(false)
    const noBand = chatter(0, timing, 2000)
    expect(noBand.conditionChanges).toBeGreaterThan(250) // the raw condition does chatter
    const a = causes(noBand.rows).filter((c) => c === 'activate').length
    expect(a).toBeLessThanOrEqual(1)
    const withBand = chatter(1, timing, 2000)
    expect(causes(withBand.rows)).toEqual(['activate'])
    expect(withBand.rows[0]!.t).toBe(ON_DELAY)
    // And without either filter: many.
    const raw = chatter(0, immediate(false), 2000)
    expect(causes(raw.rows).filter((c) => c === 'activate').length).toBeGreaterThan(100)
  })
})

describe('alarm state machine: shelving', () => {
  const timing = delayed(false)

  it('an expiry applied by a tick long after (restart) is stamped at shelvedUntil', () => {
    const { rt } = drive(initialRuntime(0), [{ type: 'shelve', t: 1000, until: 61_000 }], timing)
    // Persisted, the process restarts a day later.
    const restored = JSON.parse(JSON.stringify(rt)) as AlarmRuntime
    const r = step(restored, { type: 'tick', t: 86_400_000 }, timing)
    expect(r.transitions).toEqual([
      { t: 61_000, cause: 'shelve-expired', from: 'shelved', to: 'normal' },
    ])
    expect(r.next.since).toBe(61_000)
    expect(r.next.shelvedUntil).toBeNull()
  })

  it('a hidden alarm chatters without journal rows; the expiry re-annunciates it as unacked', () => {
    const inputs: AlarmInput[] = [{ type: 'shelve', t: 1000, until: 600_000 }]
    for (let t = 2000; t < 500_000; t += 1000) {
      inputs.push({ type: 'condition', t, active: Math.floor(t / 20_000) % 2 === 1 })
    }
    inputs.push({ type: 'condition', t: 500_000, active: true }, { type: 'tick', t: 550_000 })
    let rt = initialRuntime(0)
    const transitions: Transition[] = []
    const activations = new Set<number>()
    for (const input of inputs) {
      const r = step(rt, input, timing)
      transitions.push(...r.transitions)
      rt = r.next
      if (rt.activatedAt !== null) activations.add(rt.activatedAt)
    }
    // It did activate, hidden, a dozen times (every 40 s), each time after the on-delay.
    expect(activations.size).toBe(13)
    expect(activations.has(20_000 + ON_DELAY)).toBe(true)
    expect(causes(transitions)).toEqual(['shelve'])
    expect(rt.active).toBe(true)
    expect(rt.activatedAt).toBe(500_000 + ON_DELAY)
    const r = step(rt, { type: 'tick', t: 700_000 }, timing)
    expect(r.transitions).toEqual([
      { t: 600_000, cause: 'shelve-expired', from: 'shelved', to: 'unacked' },
    ])
    expect(r.next.activatedAt).toBe(500_000 + ON_DELAY)
  })

  it('one tick applies the expiry and then a later off-delay clear, in time order', () => {
    const shelvedActive = reach('shelved+active', { latch: false })
    const off = step(
      shelvedActive,
      { type: 'condition', t: SHELVED_UNTIL - 5000, active: false },
      timing,
    )
    expect(off.transitions).toEqual([])
    const r = step(off.next, { type: 'tick', t: FAR }, timing)
    expect(r.transitions).toEqual([
      { t: SHELVED_UNTIL, cause: 'shelve-expired', from: 'shelved', to: 'unacked' },
      { t: SHELVED_UNTIL - 5000 + OFF_DELAY, cause: 'clear', from: 'unacked', to: 'rtn-unacked' },
    ])
    expect(r.next.since).toBe(SHELVED_UNTIL - 5000 + OFF_DELAY)
  })

  it('a clear that elapsed while still shelved makes no row: the expiry returns it to normal', () => {
    const shelvedActive = reach('shelved+active', { latch: false })
    const off = step(
      shelvedActive,
      { type: 'condition', t: SHELVED_UNTIL - 60_000, active: false },
      timing,
    )
    const r = step(off.next, { type: 'tick', t: FAR }, timing)
    expect(r.transitions).toEqual([
      { t: SHELVED_UNTIL, cause: 'shelve-expired', from: 'shelved', to: 'normal' },
    ])
    expect(r.next.active).toBe(false)
  })
})

describe('alarm state machine: invariants over random input sequences', () => {
  const KINDS = [
    'condition',
    'condition',
    'condition',
    'tick',
    'tick',
    'ack',
    'shelve',
    'unshelve',
    'out-of-service',
    'return-to-service',
    'suppress',
    'unsuppress',
  ] as const

  it('rows chain, are in time order, and the state agrees with the flags', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed)
      const timing: AlarmTiming = {
        onDelayMs: Math.floor(random() * 3) * 2000,
        offDelayMs: Math.floor(random() * 3) * 3000,
        latch: random() < 0.5,
      }
      let rt = initialRuntime(0)
      let t = 0
      for (let i = 0; i < 400; i++) {
        t += Math.floor(random() * 4000) - 500 // sometimes late
        const kind = KINDS[Math.floor(random() * KINDS.length)]!
        const input: AlarmInput =
          kind === 'condition'
            ? { type: 'condition', t, active: random() < 0.5 }
            : kind === 'shelve'
              ? { type: 'shelve', t, until: t + Math.floor(random() * 30_000) }
              : { type: kind, t }
        const before = structuredClone(rt)
        const r = step(frozen(rt), input, timing)
        expect(rt).toEqual(before)
        let prev = rt
        for (const x of r.transitions) {
          expect(x.from).toBe(prev.state)
          expect(x.t).toBeGreaterThanOrEqual(prev.since)
          expect(x.from !== x.to || x.cause === 'shelve').toBe(true)
          prev = { ...prev, state: x.to, since: x.t }
        }
        expect(r.next.state).toBe(prev.state)
        expect(r.next.since).toBe(prev.since)
        const n = r.next
        expect(isHidden(n)).toBe(['shelved', 'suppressed', 'out-of-service'].includes(n.state))
        if (n.outOfService) expect(n.state).toBe('out-of-service')
        else if (n.shelvedUntil !== null) expect(n.state).toBe('shelved')
        else if (n.suppressed) expect(n.state).toBe('suppressed')
        else expect(n.active).toBe(n.state === 'unacked' || n.state === 'acked')
        if (n.state === 'latched') expect(timing.latch).toBe(true)
        if (n.state === 'rtn-unacked') expect(timing.latch).toBe(false)
        const deadline = nextDeadline(n, timing)
        if (deadline !== null)
          expect(deadline).toBeGreaterThan(Math.max(t, rt.since, rt.conditionSince))
        rt = n
      }
    }
  })
})

describe('state helpers', () => {
  it('annunciated and needs-ack', () => {
    const annunciated: AlarmState[] = ['unacked', 'acked', 'rtn-unacked', 'latched']
    const waiting: AlarmState[] = ['unacked', 'rtn-unacked', 'latched']
    const all: AlarmState[] = [
      'normal',
      'unacked',
      'acked',
      'rtn-unacked',
      'latched',
      'shelved',
      'suppressed',
      'out-of-service',
    ]
    for (const s of all) {
      expect(isAnnunciated(s), s).toBe(annunciated.includes(s))
      expect(needsAck(s), s).toBe(waiting.includes(s))
    }
  })
})
