import { describe, expect, it } from 'vitest'
import type { AlarmPriority, AlarmState, AlarmView } from '../../../src/contract/alarm-schemas'
import {
  activeList,
  alarmSensorId,
  applyAlarmsEvent,
  applyChanges,
  compareAlarms,
  matchesFilter,
  summarize,
  topUnacked,
} from '../../../renderer/src/lib/alarm-list'

function view(
  id: string,
  priority: AlarmPriority,
  state: AlarmState,
  activatedAt: number | null = 1000,
  since = activatedAt ?? 0,
): AlarmView {
  return {
    id,
    definition: {
      kind: 'limit',
      id,
      name: id,
      priority,
      onDelayMs: 0,
      offDelayMs: 0,
      latch: false,
      sensorId: 's1',
      level: 'H',
      limit: 10,
      deadband: 0,
    },
    state,
    active: state === 'unacked' || state === 'acked',
    since,
    activatedAt,
    value: 12,
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

const summary = summarize([])

describe('compareAlarms', () => {
  it('sorts by priority, then newest activation first', () => {
    const list = [
      view('low', 'low', 'unacked', 5000),
      view('high-old', 'high', 'unacked', 1000),
      view('crit', 'critical', 'acked', 10),
      view('high-new', 'high', 'unacked', 3000),
      view('never', 'high', 'shelved', null),
    ]
    expect(list.sort(compareAlarms).map((a) => a.id)).toEqual([
      'crit',
      'high-new',
      'high-old',
      'never',
      'low',
    ])
  })
})

describe('applyChanges / applyAlarmsEvent', () => {
  it('replaces changed views by id and drops removed ids', () => {
    const map = new Map([
      ['a', view('a', 'low', 'unacked')],
      ['b', view('b', 'low', 'unacked')],
    ])
    const changed = applyAlarmsEvent(map, {
      t: 2000,
      changed: [view('a', 'low', 'acked', 1000, 2000), view('c', 'high', 'unacked', 2000)],
      removed: ['b'],
      summary,
    })
    expect(changed).toBe(true)
    expect([...map.keys()].sort()).toEqual(['a', 'c'])
    expect(map.get('a')?.state).toBe('acked')
  })

  it('ignores a view older than the one held', () => {
    const map = new Map([['a', view('a', 'low', 'acked', 1000, 5000)]])
    expect(applyChanges(map, [view('a', 'low', 'unacked', 1000, 1000)])).toBe(false)
    expect(map.get('a')?.state).toBe('acked')
  })

  it('takes a flood of 10,000 changes and keeps the newest most urgent on top', () => {
    const map = new Map<string, AlarmView>()
    const changed = Array.from({ length: 10_000 }, (_, i) => view(`x${i}`, 'medium', 'unacked', i))
    applyChanges(map, changed)
    const top = topUnacked(map.values())
    expect(map.size).toBe(10_000)
    expect(top?.id).toBe('x9999')
  })
})

describe('topUnacked', () => {
  it('picks the most urgent alarm waiting for an acknowledgement', () => {
    const list = [
      view('crit-acked', 'critical', 'acked', 9000),
      view('high-rtn', 'high', 'rtn-unacked', 100),
      view('low', 'low', 'unacked', 9999),
    ]
    expect(topUnacked(list)?.id).toBe('high-rtn')
    expect(topUnacked([view('a', 'low', 'acked')])).toBeNull()
  })
})

describe('filters and the active list', () => {
  const list = [
    view('n', 'low', 'normal'),
    view('u', 'high', 'unacked', 10),
    view('l', 'medium', 'latched', 20),
    view('s', 'critical', 'shelved', 30),
    view('o', 'low', 'out-of-service', 40),
    view('p', 'low', 'suppressed', 50),
  ]
  it('narrows by state group', () => {
    const ids = (f: Parameters<typeof matchesFilter>[1]) =>
      list.filter((a) => matchesFilter(a, f)).map((a) => a.id)
    expect(ids('all')).toEqual(['u', 'l', 's', 'o', 'p'])
    expect(ids('unacked')).toEqual(['u', 'l'])
    expect(ids('shelved')).toEqual(['s'])
    expect(ids('disabled')).toEqual(['o', 'p'])
  })

  it('caps the rows but counts them all', () => {
    const { rows, total } = activeList(list, 'all', 2)
    expect(total).toBe(5)
    expect(rows.map((a) => a.id)).toEqual(['s', 'u'])
  })
})

describe('summarize', () => {
  it('counts what waits per priority and the highest', () => {
    const s = summarize([
      view('a', 'high', 'unacked'),
      view('b', 'low', 'rtn-unacked'),
      view('c', 'critical', 'acked'),
      view('d', 'low', 'shelved'),
    ])
    expect(s.unacked).toBe(2)
    expect(s.unackedByPriority).toEqual({ critical: 0, high: 1, medium: 0, low: 1 })
    expect(s.highest).toBe('high')
    expect(s.active).toBe(2)
    expect(s.shelved).toBe(1)
  })
})

describe('alarmSensorId', () => {
  it('names the limit sensor', () => {
    expect(alarmSensorId(view('a', 'low', 'unacked'))).toBe('s1')
  })
})
