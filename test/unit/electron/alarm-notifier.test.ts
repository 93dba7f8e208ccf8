import { describe, expect, it } from 'vitest'
import { AlarmNotifier } from '../../../electron/main/alarm-notifier'
import type {
  AlarmPriority,
  AlarmState,
  AlarmSummary,
  AlarmsEvent,
  AlarmView,
} from '../../../src/contract'

const summary: AlarmSummary = {
  unacked: 0,
  unackedByPriority: { critical: 0, high: 0, medium: 0, low: 0 },
  active: 0,
  shelved: 0,
  suppressed: 0,
  outOfService: 0,
  highest: null,
}

function view(
  n: number,
  state: AlarmState,
  activatedAt: number | null,
  priority: AlarmPriority = 'critical',
  value = 12.5,
): AlarmView {
  const id = `limit.s${n}.H`
  return {
    id,
    definition: {
      id,
      kind: 'limit',
      name: `Pressure ${n} high`,
      priority,
      sensorId: `s${n}`,
      level: 'H',
      limit: 10,
      deadband: 0,
      onDelayMs: 0,
      offDelayMs: 0,
      latch: false,
    },
    state,
    active: state === 'unacked' || state === 'acked',
    since: activatedAt ?? 0,
    activatedAt,
    value,
    ackedBy: state === 'acked' ? 'operator' : null,
    ackedAt: state === 'acked' ? (activatedAt ?? 0) + 1 : null,
    ackNote: null,
    shelvedUntil: null,
    shelvedBy: null,
    shelveReason: null,
    eventId: null,
    contributors: [],
  }
}

const event = (changed: AlarmView[], removed: string[] = []): AlarmsEvent => ({
  t: 0,
  changed,
  removed,
  summary,
})

/** A notifier on a fake clock; `advance` runs the timers that come due. */
function setup(minIntervalMs = 5000) {
  let now = 1_000_000
  const timers: { at: number; run: () => void; cancelled: boolean }[] = []
  const shown: { title: string; body: string; onClick: () => void }[] = []
  let clicks = 0
  const notifier = new AlarmNotifier({
    notify: (title, body, onClick) => shown.push({ title, body, onClick }),
    onClick: () => clicks++,
    sensor: () => ({ unit: 'bar', decimals: 1 }),
    now: () => now,
    minIntervalMs,
    schedule: (run, ms) => {
      const timer = { at: now + ms, run, cancelled: false }
      timers.push(timer)
      return () => (timer.cancelled = true)
    },
  })
  const advance = (ms: number) => {
    now += ms
    for (const t of timers.splice(0)) {
      if (t.cancelled) continue
      if (t.at <= now) t.run()
      else timers.push(t)
    }
  }
  return { notifier, shown, advance, clicks: () => clicks, pendingTimers: () => timers.length }
}

describe('AlarmNotifier', () => {
  it('notifies a new critical activation once, with priority, name and value', () => {
    const { notifier, shown, clicks } = setup()
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    expect(shown).toHaveLength(1)
    expect(shown[0]?.title).toBe('Critical alarm: Pressure 1 high')
    expect(shown[0]?.body).toBe('s1 at 12.5 bar, above the H limit 10.0 bar')
    // The same view sent again (another alarm changed in the same commit, a reconnect).
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    expect(shown).toHaveLength(1)
    shown[0]?.onClick()
    expect(clicks()).toBe(1)
  })

  it('notifies high alarms but never medium or low ones', () => {
    const { notifier, shown, advance } = setup()
    notifier.onEvent(event([view(1, 'unacked', 100, 'medium'), view(2, 'unacked', 100, 'low')]))
    expect(shown).toHaveLength(0)
    notifier.onEvent(event([view(3, 'unacked', 200, 'high')]))
    expect(shown.map((s) => s.title)).toEqual(['High alarm: Pressure 3 high'])
    advance(60_000)
    expect(shown).toHaveLength(1)
  })

  it('does not notify acknowledgements, clears or returns to normal', () => {
    const { notifier, shown, advance } = setup()
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    advance(10_000)
    notifier.onEvent(event([view(1, 'acked', 100)]))
    notifier.onEvent(event([view(1, 'normal', 100)]))
    notifier.onEvent(event([view(2, 'rtn-unacked', 50)]))
    notifier.onEvent(event([view(3, 'latched', 50)]))
    advance(60_000)
    expect(shown).toHaveLength(1)
  })

  it('notifies a re-activation after a clear again', () => {
    const { notifier, shown, advance } = setup()
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    advance(6000)
    notifier.onEvent(event([view(1, 'rtn-unacked', 100)]))
    notifier.onEvent(event([view(1, 'unacked', 7000, 'critical', 13)]))
    expect(shown).toHaveLength(2)
    expect(shown[1]?.body).toContain('13.0 bar')
  })

  it('notifies a deleted and re-created alarm again', () => {
    const { notifier, shown, advance } = setup()
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    advance(6000)
    notifier.onEvent(event([], ['limit.s1.H']))
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    expect(shown).toHaveLength(2)
  })

  it('rate-limits a flood to one notification per interval, summarising the rest', () => {
    const { notifier, shown, advance } = setup(5000)
    // 500 alarms activating over ~10 s, 50 per event, a second apart.
    for (let batch = 0; batch < 10; batch++) {
      const views = Array.from({ length: 50 }, (_, i) =>
        view(batch * 50 + i, 'unacked', 1000 + batch, i === 7 && batch === 3 ? 'critical' : 'high'),
      )
      notifier.onEvent(event(views))
      advance(1000)
    }
    advance(20_000)
    // The first event at once (one alarm and 49 more), then one summary per 5 s.
    expect(shown.length).toBeLessThanOrEqual(4)
    expect(shown[0]?.body).toMatch(/, and 49 more alarms$/)
    // The critical one in the second window is the one named there.
    expect(shown[1]?.title).toBe('Critical alarm: Pressure 157 high')
    const counted = shown.reduce(
      (n, s) => n + 1 + Number(/and (\d+) more alarms?$/.exec(s.body)?.[1] ?? 0),
      0,
    )
    expect(counted).toBe(500)
  })

  it('keeps a deferred notification for a single alarm plain, and drops one acked meanwhile', () => {
    const { notifier, shown, advance, pendingTimers } = setup(5000)
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    advance(1000)
    notifier.onEvent(event([view(2, 'unacked', 1100)]))
    notifier.onEvent(event([view(3, 'unacked', 1100, 'high')]))
    notifier.onEvent(event([view(3, 'acked', 1100, 'high')]))
    expect(shown).toHaveLength(1)
    expect(pendingTimers()).toBe(1)
    advance(4000)
    expect(shown).toHaveLength(2)
    expect(shown[1]?.title).toBe('Critical alarm: Pressure 2 high')
    expect(shown[1]?.body).not.toContain('more')
  })

  it('shows nothing when every waiting alarm was acknowledged before its turn', () => {
    const { notifier, shown, advance } = setup(5000)
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    notifier.onEvent(event([view(2, 'unacked', 200)]))
    notifier.onEvent(event([view(2, 'acked', 200)]))
    advance(10_000)
    expect(shown).toHaveLength(1)
  })

  it('forgets what is waiting when disposed', () => {
    const { notifier, shown, advance } = setup(5000)
    notifier.onEvent(event([view(1, 'unacked', 100)]))
    notifier.onEvent(event([view(2, 'unacked', 200)]))
    notifier.dispose()
    advance(10_000)
    expect(shown).toHaveLength(1)
  })
})
