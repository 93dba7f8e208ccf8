import {
  ALARM_PRIORITIES,
  type AlarmKpis,
  type AlarmPriority,
  type AlarmState,
  type JournalEntry,
} from '../contract'

const TEN_MINUTES_MS = 600_000
const MINUTE_MS = 60_000
const DAY_MS = 24 * 3_600_000
/** EEMUA 191: more than 10 activations in 10 minutes is a flood. */
const FLOOD_ABOVE = 10
/** This many activations of one alarm within one minute make it chattering. */
const CHATTER_AT = 3
const TOP_COUNT = 10

/** States in which the alarm is shown as active; entering one means it is active. */
const ACTIVE_STATES: ReadonlySet<AlarmState> = new Set(['unacked', 'acked'])
/** Entering one of these ends an active period, whatever the cause. */
const ENDING_STATES: ReadonlySet<AlarmState> = new Set(['normal', 'out-of-service'])

/**
 * Alarm-system performance over [from, to) from the journal (EEMUA 191 / ISA-18.2). Pure.
 *
 * `entries` are the rows in [from, to); `before` has, per alarm, its last row before `from`
 * (and possibly its latest `activate` row before `from`, see `AlarmStore.kpiInput`). Rows
 * outside those ranges are ignored; both lists are put in (t, seq) order here.
 *
 * - **Activation**: a row with cause `activate`. Re-annunciation after unshelving (cause
 *   `unshelve`) and other returns to an active state do not count. `activations` is their number
 *   in the range; `byPriority` counts them by the priority on the activation row (all four keys
 *   present); `top` lists the 10 alarms with the most activations (ties by alarm id), with the name
 *   and priority of that alarm's latest row.
 * - **Per 10 minutes**: [from, to) is split into 10-minute periods aligned to `from`, the last one
 *   possibly partial; their number is ceil((to - from) / 10 min). `average` = activations /
 *   ((to - from) / 10 min); `peak` = the most activations in one period. `floodPeriods` = periods
 *   with more than 10 activations; `floodPercent` = floodPeriods / periods × 100.
 * - **Chattering**: an alarm with 3 or more activations within 60 s. `maxPerMinute` = the most
 *   activations in a window [t_i, t_i + 60 s) starting at one of its activation times t_i.
 *   Sorted by maxPerMinute (most first), then alarm id.
 * - **Stale**: an alarm is active from an `activate` row until a row with cause `clear` or a row
 *   entering `normal` or `out-of-service` (shelving or suppressing does not end it). At `from`
 *   an alarm is active if its last earlier row was an activation or entered `unacked` or `acked`;
 *   its period counts from its latest known activation (else from that last row). An active
 *   period that overlaps the range is measured from its real start to its end, or to `to` if it
 *   is still active then; the alarm is stale when one lasts more than 24 h, and `activeMs` is the
 *   longest. Sorted by activeMs (longest first), then alarm id.
 * - **Acknowledgement**: `acknowledged` = rows with cause `ack` in the range; `meanTimeToAckMs` =
 *   the mean, over those acks whose alarm has a known earlier activation (in the range or in
 *   `before`), of ack time - that alarm's latest activation time at or before the ack; null if
 *   there is none.
 */
export function computeKpis(
  input: { before: JournalEntry[]; entries: JournalEntry[] },
  from: number,
  to: number,
): AlarmKpis {
  const span = Math.max(0, to - from)
  const before = input.before.filter((e) => e.t < from).sort(byTimeThenSeq)
  const entries = input.entries.filter((e) => e.t >= from && e.t < to).sort(byTimeThenSeq)

  /** Latest name per alarm: before rows first, then range rows override. */
  const names = new Map<string, string>()
  for (const e of before) names.set(e.alarmId, e.alarmName)
  for (const e of entries) names.set(e.alarmId, e.alarmName)
  const nameOf = (id: string) => names.get(id) ?? id

  // --- State at `from` ---------------------------------------------------------------------------
  const lastBefore = new Map<string, JournalEntry>()
  const lastActivation = new Map<string, number>()
  for (const e of before) {
    lastBefore.set(e.alarmId, e)
    if (e.cause === 'activate') lastActivation.set(e.alarmId, e.t)
  }
  /** Start of the current active period per alarm. */
  const activeSince = new Map<string, number>()
  for (const [id, last] of lastBefore) {
    if (last.cause === 'activate' || ACTIVE_STATES.has(last.to)) {
      activeSince.set(id, lastActivation.get(id) ?? last.t)
    }
  }

  // --- Replay the range --------------------------------------------------------------------------
  const periods = Math.ceil(span / TEN_MINUTES_MS)
  const perPeriod = new Array<number>(periods).fill(0)
  const byPriority = Object.fromEntries(ALARM_PRIORITIES.map((p) => [p, 0])) as Record<
    AlarmPriority,
    number
  >
  const activationTimes = new Map<string, number[]>()
  const latestRow = new Map<string, JournalEntry>()
  const longestActive = new Map<string, number>()
  const noteActive = (id: string, start: number, end: number) => {
    longestActive.set(id, Math.max(longestActive.get(id) ?? 0, end - start))
  }
  let activations = 0
  let acknowledged = 0
  let ackDelaySum = 0
  let ackDelayCount = 0

  for (const e of entries) {
    latestRow.set(e.alarmId, e)
    if (e.cause === 'activate') {
      activations++
      byPriority[e.priority]++
      const period = Math.floor((e.t - from) / TEN_MINUTES_MS)
      perPeriod[period] = (perPeriod[period] ?? 0) + 1
      const times = activationTimes.get(e.alarmId)
      if (times) times.push(e.t)
      else activationTimes.set(e.alarmId, [e.t])
      lastActivation.set(e.alarmId, e.t)
      // An activation while already active continues the same period.
      if (!activeSince.has(e.alarmId)) activeSince.set(e.alarmId, e.t)
    } else if (e.cause === 'clear' || ENDING_STATES.has(e.to)) {
      const start = activeSince.get(e.alarmId)
      if (start !== undefined) {
        noteActive(e.alarmId, start, e.t)
        activeSince.delete(e.alarmId)
      }
    }
    if (e.cause === 'ack') {
      acknowledged++
      const act = lastActivation.get(e.alarmId)
      if (act !== undefined) {
        ackDelaySum += e.t - act
        ackDelayCount++
      }
    }
  }
  for (const [id, start] of activeSince) noteActive(id, start, Math.max(to, start))

  // --- Figures -----------------------------------------------------------------------------------
  const floodPeriods = perPeriod.filter((n) => n > FLOOD_ABOVE).length

  const chattering: AlarmKpis['chattering'] = []
  for (const [alarmId, times] of activationTimes) {
    const maxPerMinute = maxInWindow(times, MINUTE_MS)
    if (maxPerMinute >= CHATTER_AT)
      chattering.push({ alarmId, name: nameOf(alarmId), maxPerMinute })
  }
  chattering.sort((a, b) => b.maxPerMinute - a.maxPerMinute || compareIds(a.alarmId, b.alarmId))

  const stale: AlarmKpis['stale'] = []
  for (const [alarmId, activeMs] of longestActive) {
    if (activeMs > DAY_MS) stale.push({ alarmId, name: nameOf(alarmId), activeMs })
  }
  stale.sort((a, b) => b.activeMs - a.activeMs || compareIds(a.alarmId, b.alarmId))

  const top: AlarmKpis['top'] = [...activationTimes]
    .map(([alarmId, times]) => {
      // Every alarm with an activation in the range has a latest row in the range.
      const latest = latestRow.get(alarmId)
      return {
        alarmId,
        name: latest?.alarmName ?? nameOf(alarmId),
        priority: latest?.priority ?? 'low',
        count: times.length,
      }
    })
    .sort((a, b) => b.count - a.count || compareIds(a.alarmId, b.alarmId))
    .slice(0, TOP_COUNT)

  return {
    from,
    to,
    activations,
    perTenMinutes: {
      average: span > 0 ? activations / (span / TEN_MINUTES_MS) : 0,
      peak: perPeriod.reduce((m, n) => Math.max(m, n), 0),
    },
    floodPeriods,
    floodPercent: periods > 0 ? (floodPeriods / periods) * 100 : 0,
    chattering,
    stale,
    top,
    byPriority,
    acknowledged,
    meanTimeToAckMs: ackDelayCount > 0 ? ackDelaySum / ackDelayCount : null,
  }
}

/** The most of the sorted `times` in one window [t_i, t_i + width) starting at one of them. */
function maxInWindow(times: readonly number[], width: number): number {
  let best = 0
  let j = 0
  for (let i = 0; i < times.length; i++) {
    const start = times[i] ?? 0
    if (j < i) j = i
    while (j < times.length && (times[j] ?? Infinity) < start + width) j++
    best = Math.max(best, j - i)
  }
  return best
}

function byTimeThenSeq(a: JournalEntry, b: JournalEntry): number {
  return a.t - b.t || a.seq - b.seq
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
