import { describe, expect, it } from 'vitest'
import type {
  AlarmPriority,
  JournalCause,
  JournalEntry,
  AlarmState,
} from '../../../../src/contract'
import { computeKpis } from '../../../../src/alarms/kpis'

const S = 1000
const MIN = 60 * S
const H = 60 * MIN
/** The range starts on day 100 so that rows a day and more before it are still positive. */
const F = 100 * 24 * H

let seq = 0
function row(
  t: number,
  alarmId: string,
  cause: JournalCause,
  from: AlarmState,
  to: AlarmState,
  priority: AlarmPriority,
  alarmName = alarmId,
): JournalEntry {
  seq++
  return {
    seq,
    t,
    alarmId,
    alarmName,
    priority,
    cause,
    from,
    to,
    user: cause === 'activate' || cause === 'clear' ? null : 'operator',
    note: null,
    value: null,
    sensorId: null,
  }
}
const activate = (t: number, id: string, p: AlarmPriority, name = id) =>
  row(t, id, 'activate', 'normal', 'unacked', p, name)
const ack = (t: number, id: string, p: AlarmPriority, from: AlarmState = 'unacked', name = id) =>
  row(t, id, 'ack', from, from === 'unacked' ? 'acked' : 'normal', p, name)
const clear = (t: number, id: string, p: AlarmPriority, from: AlarmState = 'acked') =>
  row(t, id, 'clear', from, from === 'acked' ? 'normal' : 'rtn-unacked', p)

describe('computeKpis on a scripted 2-hour journal', () => {
  const TO = F + 2 * H

  // Before the range (as AlarmStore.kpiInput gives it: per alarm its last row before F, and
  // its latest activation before F).
  const before = [
    activate(F - 40 * H, 'gone', 'low'),
    clear(F - 39 * H, 'gone', 'low', 'unacked'), // inactive at F
    activate(F - 28 * H, 'old', 'critical', 'Old'),
    ack(F - 27 * H, 'old', 'critical', 'unacked', 'Old'), // active (acked) at F, never clears
    activate(F - 25 * H, 'oos', 'medium'),
    activate(F - 20 * H, 'recent', 'low'),
  ]

  const entries: JournalEntry[] = [
    activate(F + 10 * MIN, 'pump', 'high', 'Pump'),
    ack(F + 10 * MIN + 90 * S, 'pump', 'high'), // 90 s after its activation
    row(F + 20 * MIN, 'pump', 'shelve', 'acked', 'shelved', 'high', 'Pump'),
    // 12 different alarms in 7 min 20 s, all in the 4th period [30 min, 40 min).
    ...Array.from({ length: 12 }, (_, k) =>
      activate(
        F + 30 * MIN + k * 40 * S,
        `f${String(k + 1).padStart(2, '0')}`,
        k < 6 ? 'medium' : 'low',
      ),
    ),
    ack(F + 30 * MIN, 'recent', 'low'), // 20 h 30 min after its activation (in `before`)
    row(F + 30 * MIN, 'oos', 'out-of-service', 'unacked', 'out-of-service', 'medium'),
    ack(F + 32 * MIN, 'f01', 'medium'), // 2 min after its activation at 30:00
    ack(F + 50 * MIN, 'mystery', 'high', 'rtn-unacked'), // no activation known: not in the mean
    // Re-annunciation after unshelving: not an activation.
    row(F + 50 * MIN, 'pump', 'unshelve', 'shelved', 'unacked', 'high', 'Pump'),
    clear(F + 60 * MIN, 'pump', 'high', 'unacked'),
    clear(F + 60 * MIN, 'recent', 'low'), // active for 21 h: not stale
    activate(F + 70 * MIN, 'chat', 'high', 'Chatter'),
    clear(F + 70 * MIN + 10 * S, 'chat', 'high', 'unacked'),
    activate(F + 70 * MIN + 20 * S, 'chat', 'high', 'Chatter'),
    clear(F + 70 * MIN + 30 * S, 'chat', 'high', 'unacked'),
    activate(F + 70 * MIN + 40 * S, 'chat', 'high', 'Chatter'),
    ack(F + 70 * MIN + 45 * S, 'chat', 'high'), // 5 s after the latest activation (at 70:40)
    clear(F + 70 * MIN + 50 * S, 'chat', 'high'),
    activate(F + 100 * MIN, 'chat', 'high', 'Chatter'),
    activate(F + 110 * MIN, 'pump', 'high', 'Pump'),
    // Renamed and made critical: `top` shows the latest name and priority.
    row(F + 115 * MIN, 'pump', 'definition-saved', 'unacked', 'unacked', 'critical', 'Pump P-101'),
  ]

  it('gives the figures computed by hand', () => {
    const k = computeKpis({ before, entries }, F, TO)
    // Activations in range: pump 2 (10:00, 110:00; the unshelve at 50:00 does not count),
    // f01..f12 1 each, chat 4 (70:00, 70:20, 70:40, 100:00) => 2 + 12 + 4 = 18.
    expect(k.from).toBe(F)
    expect(k.to).toBe(TO)
    expect(k.activations).toBe(18)
    // By the activation rows' priority: high = pump 2 + chat 4 = 6; medium = f01..f06 = 6;
    // low = f07..f12 = 6; critical 0 (pump became critical only on a non-activation row).
    expect(k.byPriority).toEqual({ critical: 0, high: 6, medium: 6, low: 6 })
    // 12 periods of 10 min. Counts: [0]=0, [1]=1 (pump 10:00), [3]=12 (f01..f12), [7]=3 (chat),
    // [10]=1 (chat 100:00), [11]=1 (pump 110:00). Average 18 / 12 = 1.5, peak 12.
    expect(k.perTenMinutes).toEqual({ average: 1.5, peak: 12 })
    // One period above 10: 1 / 12 × 100 = 8.333…%.
    expect(k.floodPeriods).toBe(1)
    expect(k.floodPercent).toBeCloseTo(100 / 12, 10)
    // chat: 70:00, 70:20, 70:40 within [70:00, 71:00) => 3. pump's two are 100 min apart.
    expect(k.chattering).toEqual([{ alarmId: 'chat', name: 'Chatter', maxPerMinute: 3 }])
    // old: active since F - 28 h, still active at TO = F + 2 h => 30 h = 108 000 000 ms.
    // oos: active since F - 25 h, out of service at F + 30 min => 25.5 h = 91 800 000 ms.
    // recent: F - 20 h to F + 60 min => 21 h, not stale. gone: cleared before F.
    expect(k.stale).toEqual([
      { alarmId: 'old', name: 'Old', activeMs: 108_000_000 },
      { alarmId: 'oos', name: 'oos', activeMs: 91_800_000 },
    ])
    // chat 4, pump 2 (latest row: 'Pump P-101', critical), then f01..f08 (1 each, by id).
    expect(k.top).toEqual([
      { alarmId: 'chat', name: 'Chatter', priority: 'high', count: 4 },
      { alarmId: 'pump', name: 'Pump P-101', priority: 'critical', count: 2 },
      ...['f01', 'f02', 'f03', 'f04', 'f05', 'f06', 'f07', 'f08'].map((id, i) => ({
        alarmId: id,
        name: id,
        priority: i < 6 ? 'medium' : 'low',
        count: 1,
      })),
    ])
    // Acks: pump, recent, f01, mystery, chat => 5. Known delays: pump 90 000, recent
    // 20.5 h = 73 800 000, f01 120 000, chat 5 000 => 74 015 000 / 4 = 18 503 750.
    expect(k.acknowledged).toBe(5)
    expect(k.meanTimeToAckMs).toBe(18_503_750)
  })

  it('does not depend on the order the rows come in', () => {
    const k = computeKpis({ before: [...before].reverse(), entries: [...entries].reverse() }, F, TO)
    expect(k).toEqual(computeKpis({ before, entries }, F, TO))
  })
})

describe('computeKpis edge cases', () => {
  const zero = { critical: 0, high: 0, medium: 0, low: 0 }

  it('an empty range: all zero, no mean time to acknowledge', () => {
    expect(computeKpis({ before: [], entries: [] }, F, F + H)).toEqual({
      from: F,
      to: F + H,
      activations: 0,
      perTenMinutes: { average: 0, peak: 0 },
      floodPeriods: 0,
      floodPercent: 0,
      chattering: [],
      stale: [],
      top: [],
      byPriority: zero,
      acknowledged: 0,
      meanTimeToAckMs: null,
    })
  })

  it('a zero-length range gives zeros, not NaN', () => {
    const k = computeKpis({ before: [], entries: [activate(F, 'a', 'low')] }, F, F)
    expect(k.activations).toBe(0)
    expect(k.perTenMinutes).toEqual({ average: 0, peak: 0 })
    expect(k.floodPercent).toBe(0)
  })

  it('acks without a known activation: counted, but the mean is null', () => {
    const k = computeKpis(
      { before: [], entries: [ack(F + MIN, 'a', 'low', 'rtn-unacked')] },
      F,
      F + H,
    )
    expect(k.acknowledged).toBe(1)
    expect(k.meanTimeToAckMs).toBeNull()
  })

  it('a partial last period counts as a period; the average uses the real length', () => {
    // 25 min => 3 periods: [0, 10), [10, 20), [20, 25). 11 activations in the last 5 min.
    const entries = Array.from({ length: 11 }, (_, i) =>
      activate(F + 20 * MIN + i * 20 * S, `a${i}`, 'low'),
    )
    const k = computeKpis({ before: [], entries }, F, F + 25 * MIN)
    expect(k.perTenMinutes.average).toBeCloseTo(11 / 2.5, 12) // 4.4
    expect(k.perTenMinutes.peak).toBe(11)
    expect(k.floodPeriods).toBe(1)
    expect(k.floodPercent).toBeCloseTo(100 / 3, 10)
  })

  it('chattering: the 60 s window excludes its end', () => {
    const at = (ms: number[]) =>
      computeKpis({ before: [], entries: ms.map((t) => activate(F + t, 'c', 'low')) }, F, F + H)
        .chattering
    expect(at([0, 30 * S, 60 * S])).toEqual([])
    expect(at([0, 30 * S, 60 * S - 1])).toEqual([{ alarmId: 'c', name: 'c', maxPerMinute: 3 }])
    expect(at([0, 10 * S, 20 * S, 30 * S, 90 * S])).toEqual([
      { alarmId: 'c', name: 'c', maxPerMinute: 4 },
    ])
  })

  it('stale: an alarm active at `from` whose activation is unknown counts from its last row', () => {
    // Only an ack 30 h before `from` is known: active since then at least => 31 h.
    const k = computeKpis({ before: [ack(F - 30 * H, 'x', 'high')], entries: [] }, F, F + H)
    expect(k.stale).toEqual([{ alarmId: 'x', name: 'x', activeMs: 31 * H }])
  })

  it('stale: exactly 24 h is not stale; shelving does not end an active period', () => {
    const k = computeKpis(
      {
        before: [activate(F - 23 * H, 'day', 'low'), activate(F - 23 * H, 'shelved', 'low')],
        entries: [
          clear(F + H, 'day', 'low', 'unacked'), // exactly 24 h
          row(F + 10 * MIN, 'shelved', 'shelve', 'unacked', 'shelved', 'low'),
        ],
      },
      F,
      F + 2 * H,
    )
    // shelved: F - 23 h to F + 2 h (still active at `to`) => 25 h.
    expect(k.stale).toEqual([{ alarmId: 'shelved', name: 'shelved', activeMs: 25 * H }])
  })

  it('ignores rows outside [from, to)', () => {
    const k = computeKpis(
      { before: [], entries: [activate(F - 1, 'a', 'low'), activate(F + H, 'b', 'low')] },
      F,
      F + H,
    )
    expect(k.activations).toBe(0)
  })
})
