import {
  ALARM_PRIORITIES,
  type AlarmDefinition,
  type AlarmPriority,
  type AlarmState,
  type AlarmSummary,
  type AlarmView,
} from '../contract'
import type { StoredAlarmState } from './alarm-runtime'

/** States that wait for an operator's acknowledgement. */
export const WAITING_FOR_ACK: ReadonlySet<AlarmState> = new Set([
  'unacked',
  'rtn-unacked',
  'latched',
])

export function toView(def: AlarmDefinition, s: StoredAlarmState): AlarmView {
  const { runtime: rt, detail: d } = s
  return {
    id: def.id,
    definition: def,
    state: rt.state,
    active: rt.active,
    since: rt.since,
    activatedAt: rt.activatedAt,
    value: d.value,
    ackedBy: d.ackedBy,
    ackedAt: d.ackedAt,
    ackNote: d.ackNote,
    shelvedUntil: rt.shelvedUntil,
    shelvedBy: rt.shelvedUntil === null ? null : d.shelvedBy,
    shelveReason: rt.shelvedUntil === null ? null : d.shelveReason,
    eventId: d.eventId,
    contributors: d.contributors,
  }
}

function zeroByPriority(): Record<AlarmPriority, number> {
  return { critical: 0, high: 0, medium: 0, low: 0 }
}

/** The banner's counts over every alarm. */
export function summarize(
  alarms: Iterable<{ priority: AlarmPriority; state: AlarmState }>,
): AlarmSummary {
  const unackedByPriority = zeroByPriority()
  const shown = zeroByPriority()
  const summary: AlarmSummary = {
    unacked: 0,
    unackedByPriority,
    active: 0,
    shelved: 0,
    suppressed: 0,
    outOfService: 0,
    highest: null,
  }
  for (const { priority, state } of alarms) {
    if (WAITING_FOR_ACK.has(state)) {
      summary.unacked++
      unackedByPriority[priority]++
      shown[priority]++
    } else if (state === 'acked') shown[priority]++
    if (state === 'unacked' || state === 'acked') summary.active++
    else if (state === 'shelved') summary.shelved++
    else if (state === 'suppressed') summary.suppressed++
    else if (state === 'out-of-service') summary.outOfService++
  }
  summary.highest = ALARM_PRIORITIES.find((p) => shown[p] > 0) ?? null
  return summary
}
