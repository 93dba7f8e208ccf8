import type {
  AlarmPriority,
  AlarmState,
  AlarmSummary,
  AlarmView,
  AlarmsEvent,
} from '@vigil/contract'

// A value import from the contract is not allowed in the renderer; the type keeps this honest.
/** Most urgent first. */
export const PRIORITIES: readonly AlarmPriority[] = ['critical', 'high', 'medium', 'low']

export const PRIORITY_RANK: Record<AlarmPriority, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
}

/** The states that wait for an acknowledgement (annunciated). */
const WAITING: ReadonlySet<AlarmState> = new Set(['unacked', 'rtn-unacked', 'latched'])
/** The states the annunciator sounds for: a return to normal never re-fires the horn. */
const SOUNDING: ReadonlySet<AlarmState> = new Set(['unacked', 'latched'])

export const needsAck = (a: AlarmView): boolean => WAITING.has(a.state)
export const isSounding = (a: AlarmView): boolean => SOUNDING.has(a.state)

/** Priority (critical first), then the newest activation first, then the name. */
export function compareAlarms(a: AlarmView, b: AlarmView): number {
  return (
    PRIORITY_RANK[a.definition.priority] - PRIORITY_RANK[b.definition.priority] ||
    (b.activatedAt ?? -1) - (a.activatedAt ?? -1) ||
    a.definition.name.localeCompare(b.definition.name)
  )
}

/**
 * Puts changed alarms into the map by id and drops removed ones: O(changed). A view older than
 * the one held (it entered its state earlier) is ignored, so an event that raced a full list
 * cannot turn the clock back. Returns whether anything changed.
 */
export function applyChanges(
  map: Map<string, AlarmView>,
  changed: readonly AlarmView[],
  removed: readonly string[] = [],
): boolean {
  let any = false
  for (const view of changed) {
    const held = map.get(view.id)
    if (held && held.since > view.since) continue
    map.set(view.id, view)
    any = true
  }
  for (const id of removed) any = map.delete(id) || any
  return any
}

export function applyAlarmsEvent(map: Map<string, AlarmView>, event: AlarmsEvent): boolean {
  return applyChanges(map, event.changed, event.removed)
}

/** The most urgent alarm waiting for an acknowledgement, newest first among equals: O(n). */
export function topUnacked(alarms: Iterable<AlarmView>): AlarmView | null {
  let top: AlarmView | null = null
  for (const a of alarms) if (needsAck(a) && (!top || compareAlarms(a, top) < 0)) top = a
  return top
}

/** Which way the active list is narrowed. */
export type ActiveFilter = 'all' | 'unacked' | 'shelved' | 'disabled'
export const ACTIVE_FILTERS: readonly ActiveFilter[] = ['all', 'unacked', 'shelved', 'disabled']

export function matchesFilter(a: AlarmView, filter: ActiveFilter): boolean {
  switch (filter) {
    case 'all':
      return a.state !== 'normal'
    case 'unacked':
      return needsAck(a)
    case 'shelved':
      return a.state === 'shelved'
    case 'disabled':
      return a.state === 'suppressed' || a.state === 'out-of-service'
  }
}

/** The alarms the list shows, sorted; `limit` caps what is rendered. */
export function activeList(
  alarms: Iterable<AlarmView>,
  filter: ActiveFilter,
  limit: number,
): { rows: AlarmView[]; total: number } {
  const matching: AlarmView[] = []
  for (const a of alarms) if (matchesFilter(a, filter)) matching.push(a)
  matching.sort(compareAlarms)
  return { rows: matching.slice(0, limit), total: matching.length }
}

/** The summary worked out here, for when no host summary has come yet. */
export function summarize(alarms: Iterable<AlarmView>): AlarmSummary {
  const s: AlarmSummary = {
    unacked: 0,
    unackedByPriority: { critical: 0, high: 0, medium: 0, low: 0 },
    active: 0,
    shelved: 0,
    suppressed: 0,
    outOfService: 0,
    highest: null,
  }
  for (const a of alarms) {
    const p = a.definition.priority
    if (needsAck(a)) {
      s.unacked++
      s.unackedByPriority[p] = (s.unackedByPriority[p] ?? 0) + 1
      if (s.highest === null || PRIORITY_RANK[p] < PRIORITY_RANK[s.highest]) s.highest = p
    }
    if (a.state === 'unacked' || a.state === 'acked') s.active++
    else if (a.state === 'shelved') s.shelved++
    else if (a.state === 'suppressed') s.suppressed++
    else if (a.state === 'out-of-service') s.outOfService++
  }
  return s
}

/** What the alarm is about: a limit alarm's sensor, a model alarm's top contributor. */
export function alarmSensorId(a: AlarmView): string | null {
  if (a.definition.kind === 'limit') return a.definition.sensorId
  if (a.definition.kind === 'model') return a.contributors[0]?.sensorId ?? null
  return null
}
