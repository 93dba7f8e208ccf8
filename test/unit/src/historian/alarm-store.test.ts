import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AnomalyEvent, JournalEntry, LimitAlarmDefinition } from '../../../../src/contract'
import { emptyDetail, initialRuntime } from '../../../../src/alarms/alarm-runtime'
import { DB_FILE_NAME, Historian } from '../../../../src/historian/historian'
import { MIGRATIONS, SCHEMA_VERSION } from '../../../../src/historian/migrations'
import { testSensor } from '../../../helpers/historian-fixtures'
import { makeTempDir } from '../../../helpers/temp-dir'

const NOW = 1_000_000_000

let tmp: ReturnType<typeof makeTempDir>
let h: Historian
const others: Database.Database[] = []
beforeEach(() => {
  tmp = makeTempDir()
  h = new Historian(tmp.dir, { now: () => NOW })
})
afterEach(() => {
  for (const db of others.splice(0)) db.close()
  h.close()
  tmp.remove()
})

/** A second connection to the same file, as another process would open it. */
function secondConnection(): Database.Database {
  const db = new Database(join(tmp.dir, DB_FILE_NAME))
  others.push(db)
  return db
}

const limitDef = (id: string, name = id): LimitAlarmDefinition => ({
  kind: 'limit',
  id,
  name,
  priority: 'high',
  onDelayMs: 0,
  offDelayMs: 0,
  latch: false,
  sensorId: 'temp',
  level: 'HH',
  limit: 90,
  deadband: 1,
})

function row(
  t: number,
  alarmId: string,
  patch: Partial<Omit<JournalEntry, 'seq'>> = {},
): Omit<JournalEntry, 'seq'> {
  return {
    t,
    alarmId,
    alarmName: `Alarm ${alarmId}`,
    priority: 'high',
    cause: 'activate',
    from: 'normal',
    to: 'unacked',
    user: null,
    note: null,
    value: null,
    sensorId: null,
    ...patch,
  }
}

describe('schema version 5 and later', () => {
  it('migrates a version-4 database in place, keeping its data, without any default user', () => {
    h.close()
    tmp.remove()
    tmp = makeTempDir()
    const file = join(tmp.dir, DB_FILE_NAME)
    const old = new Database(file)
    for (const m of MIGRATIONS.filter((m) => m.version <= 4)) old.exec(m.sql)
    old
      .prepare('INSERT INTO sensors (id, key, meta) VALUES (1, ?, ?)')
      .run('a', JSON.stringify(testSensor('a')))
    const insert = old.prepare('INSERT INTO samples VALUES (1, ?, ?)')
    for (let i = 0; i < 10; i++) insert.run(i * 1000, i)
    old
      .prepare('INSERT INTO sources (id, config, updated_at) VALUES (?, ?, ?)')
      .run('serial-1', JSON.stringify({ kind: 'file' }), 5)
    old.pragma('user_version = 4')
    old.close()

    h = new Historian(tmp.dir, { now: () => NOW })
    expect(secondConnection().pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(h.sensors().map((s) => s.id)).toEqual(['a'])
    expect(
      h.querySeries({ sensorIds: ['a'], from: 0, to: 10_000, maxPoints: 100 }).series[0]?.v,
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(h.sourceStore.list()).toEqual([{ id: 'serial-1', config: { kind: 'file' } }])
    // The users version 5 seeded had no password: no account is left that anyone could use.
    expect(h.accountStore.all()).toEqual([])
    expect(h.alarmStore.definitions()).toEqual([])
    expect(h.alarmStore.journalCount()).toBe(0)
  })

  it('refuses a role other than viewer, operator or engineer', () => {
    expect(() =>
      secondConnection()
        .prepare(
          "INSERT INTO accounts (name, role, created_at, updated_at) VALUES ('x', 'admin', 0, 0)",
        )
        .run(),
    ).toThrow(/CHECK constraint/)
  })
})

describe('AlarmStore definitions and states', () => {
  it('round-trips definitions, keeps the creation time on update, and deletes with the state', () => {
    const s = h.alarmStore
    s.saveDefinition(limitDef('b'), 100)
    s.saveDefinition(limitDef('a'), 200)
    s.saveDefinition({ ...limitDef('b', 'Renamed'), limit: 95 }, 300)
    expect(s.definitions()).toEqual([limitDef('a'), { ...limitDef('b', 'Renamed'), limit: 95 }])
    const times = secondConnection()
      .prepare("SELECT created_at, updated_at FROM alarm_definitions WHERE id = 'b'")
      .get()
    expect(times).toEqual({ created_at: 100, updated_at: 300 })

    const state = {
      runtime: { ...initialRuntime(10), state: 'unacked' as const },
      detail: emptyDetail(),
    }
    s.saveStates([
      { id: 'a', state: { runtime: initialRuntime(10), detail: emptyDetail() } },
      { id: 'b', state },
    ])
    const acked = {
      runtime: { ...state.runtime, state: 'acked' as const, since: 20 },
      detail: {
        ...emptyDetail(),
        ackedBy: 'operator',
        ackedAt: 20,
        contributors: [{ sensorId: 'x', share: 1 }],
      },
    }
    s.saveStates([{ id: 'b', state: acked }])
    expect(s.states()).toEqual(
      new Map([
        ['a', { runtime: initialRuntime(10), detail: emptyDetail() }],
        ['b', acked],
      ]),
    )

    s.deleteDefinition('b')
    expect(s.definitions().map((d) => d.id)).toEqual(['a'])
    expect([...s.states().keys()]).toEqual(['a'])
  })

  it('survives a reopen', () => {
    h.alarmStore.saveDefinition(limitDef('a'), 1)
    h.alarmStore.saveStates([
      { id: 'a', state: { runtime: initialRuntime(1), detail: emptyDetail() } },
    ])
    h.close()
    h = new Historian(tmp.dir, { now: () => NOW })
    expect(h.alarmStore.definitions()).toEqual([limitDef('a')])
    expect(h.alarmStore.states().get('a')?.runtime).toEqual(initialRuntime(1))
  })
})

describe('AlarmStore journal', () => {
  /** 20 rows, t = 0, 1000, ..., alternating alarms and priorities. */
  function fill(): void {
    h.alarmStore.transaction(() =>
      h.alarmStore.appendJournal(
        Array.from({ length: 20 }, (_, i) =>
          row(i * 1000, i % 2 === 0 ? 'even' : 'odd', {
            priority: i % 2 === 0 ? 'critical' : 'low',
            cause: i % 4 < 2 ? 'activate' : 'clear',
            to: i % 4 < 2 ? 'unacked' : 'normal',
            sensorId: i % 2 === 0 ? 'temp' : null,
            value: i,
          }),
        ),
      ),
    )
  }

  it('appends rows with increasing seq, returns the last seq and reads them back', () => {
    const s = h.alarmStore
    expect(s.appendJournal([])).toBe(0)
    const last = s.transaction(() =>
      s.appendJournal([
        row(5, 'a'),
        row(6, 'a', { cause: 'ack', from: 'unacked', to: 'acked', user: 'operator', note: 'seen' }),
      ]),
    )
    expect(last).toBe(2)
    expect(s.appendJournal([])).toBe(2)
    expect(s.journalCount()).toBe(2)
    const page = s.queryJournal({ from: 0, to: 100, limit: 500 })
    expect(page.total).toBe(2)
    expect(page.entries).toEqual([
      {
        seq: 2,
        ...row(6, 'a', {
          cause: 'ack',
          from: 'unacked',
          to: 'acked',
          user: 'operator',
          note: 'seen',
        }),
      },
      { seq: 1, ...row(5, 'a') },
    ])
  })

  it('filters by time, priority, state, alarm and sensor, newest first, total over the range', () => {
    fill()
    const s = h.alarmStore
    const seqs = (p: { entries: JournalEntry[] }) => p.entries.map((e) => e.seq)
    // t in [5000, 10000): rows 5..9, seq 6..10.
    expect(seqs(s.queryJournal({ from: 5000, to: 10_000, limit: 500 }))).toEqual([10, 9, 8, 7, 6])
    const crit = s.queryJournal({ from: 0, to: 20_000, priorities: ['critical'], limit: 500 })
    expect(crit.total).toBe(10)
    expect(crit.entries.every((e) => e.alarmId === 'even')).toBe(true)
    // Entered normal: rows i % 4 in {2, 3}: 2,3,6,7,10,11,14,15,18,19.
    const normal = s.queryJournal({ from: 0, to: 20_000, states: ['normal'], limit: 500 })
    expect(normal.total).toBe(10)
    expect(normal.entries.map((e) => e.t)).toEqual(
      [19, 18, 15, 14, 11, 10, 7, 6, 3, 2].map((i) => i * 1000),
    )
    expect(s.queryJournal({ from: 0, to: 20_000, alarmId: 'odd', limit: 500 }).total).toBe(10)
    expect(s.queryJournal({ from: 0, to: 20_000, sensorId: 'temp', limit: 500 }).total).toBe(10)
    // even ∧ normal: rows 2, 6, 10, 14, 18.
    expect(
      seqs(
        s.queryJournal({
          from: 0,
          to: 20_000,
          alarmId: 'even',
          states: ['normal', 'acked'],
          priorities: ['critical', 'high'],
          limit: 500,
        }),
      ),
    ).toEqual([19, 15, 11, 7, 3])
    expect(s.queryJournal({ from: 0, to: 20_000, states: [], limit: 500 }).total).toBe(0)
  })

  it('pages with beforeSeq; total ignores the page', () => {
    fill()
    const s = h.alarmStore
    const q = { from: 0, to: 20_000, alarmId: 'even', limit: 4 }
    const p1 = s.queryJournal(q)
    expect(p1.entries.map((e) => e.seq)).toEqual([19, 17, 15, 13])
    expect(p1.total).toBe(10)
    const p2 = s.queryJournal({ ...q, beforeSeq: 13 })
    expect(p2.entries.map((e) => e.seq)).toEqual([11, 9, 7, 5])
    expect(p2.total).toBe(10)
    const p3 = s.queryJournal({ ...q, beforeSeq: 5 })
    expect(p3.entries.map((e) => e.seq)).toEqual([3, 1])
    expect(s.queryJournal({ ...q, beforeSeq: 1 }).entries).toEqual([])
  })

  it('is append-only: UPDATE and DELETE are refused, also from another connection', () => {
    fill()
    const db = secondConnection()
    expect(() => db.prepare("UPDATE alarm_journal SET note = 'x' WHERE seq = 1").run()).toThrow(
      'the alarm journal is append-only',
    )
    expect(() => db.prepare('DELETE FROM alarm_journal WHERE seq = 1').run()).toThrow(
      'the alarm journal is append-only',
    )
    expect(() => db.prepare('DELETE FROM alarm_journal').run()).toThrow(/append-only/)
    expect(h.alarmStore.journalCount()).toBe(20)
    expect(h.alarmStore.queryJournal({ from: 0, to: 1, limit: 1 }).entries[0]?.note).toBeNull()
  })

  it('is durable: rows committed in a transaction are visible to a second connection', () => {
    const db = secondConnection()
    const count = () =>
      (db.prepare('SELECT COUNT(*) AS n FROM alarm_journal').get() as { n: number }).n
    h.alarmStore.transaction(() => {
      h.alarmStore.appendJournal([row(1, 'a'), row(2, 'b')])
      h.alarmStore.saveStates([
        { id: 'a', state: { runtime: initialRuntime(1), detail: emptyDetail() } },
      ])
      // Not yet committed: the other connection does not see it.
      expect(count()).toBe(0)
    })
    expect(count()).toBe(2)
    expect(db.prepare('SELECT alarm_id FROM alarm_state').all()).toEqual([{ alarm_id: 'a' }])
  })

  it('rolls the whole transaction back when it throws', () => {
    expect(() =>
      h.alarmStore.transaction(() => {
        h.alarmStore.appendJournal([row(1, 'a')])
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(h.alarmStore.journalCount()).toBe(0)
  })

  it('gives the KPI input: the last row (and latest activation) per alarm before from, then the range', () => {
    const s = h.alarmStore
    s.appendJournal([
      row(100, 'a'), // seq 1: a activates
      row(200, 'a', { cause: 'ack', from: 'unacked', to: 'acked' }), // 2
      row(150, 'b'), // 3: b activates
      row(300, 'b', { cause: 'clear', from: 'unacked', to: 'rtn-unacked' }), // 4
      row(400, 'c', { cause: 'definition-saved', to: 'normal' }), // 5: never activated
      row(1000, 'a', { cause: 'clear', from: 'acked', to: 'normal' }), // 6: in range
      row(1500, 'b', { cause: 'ack', from: 'rtn-unacked', to: 'normal' }), // 7: in range
      row(1500, 'c'), // 8: in range, same t as 7
      row(2000, 'c', { cause: 'clear' }), // 9: at `to`, outside
    ])
    const input = s.kpiInput(1000, 2000)
    expect(input.before.map((e) => e.seq)).toEqual([1, 3, 2, 4, 5])
    expect(input.entries.map((e) => e.seq)).toEqual([6, 7, 8])
    expect(s.kpiInput(0, 100)).toEqual({ before: [], entries: [] })
  })
})

describe('AlarmStore anomaly events', () => {
  const ev = (start: number, end: number | null): Omit<AnomalyEvent, 'id'> => ({
    alarmId: 'model',
    modelId: 3,
    start,
    end,
    peakScore: 2.5,
    peakAt: start + 1,
    threshold: 1.2,
    contributors: [
      { sensorId: 'a', share: 0.7 },
      { sensorId: 'b', share: 0.3 },
    ],
  })

  it('inserts, updates, reads back and lists the events overlapping a range, newest first', () => {
    const s = h.alarmStore
    const e1 = s.insertEvent(ev(100, 200))
    const e2 = s.insertEvent(ev(300, null))
    const e3 = s.insertEvent(ev(500, 600))
    expect(s.event(e2)).toEqual({ id: e2, ...ev(300, null) })
    expect(s.event(999)).toBeNull()

    const closed = {
      id: e2,
      ...ev(300, 450),
      peakScore: 4,
      contributors: [{ sensorId: 'b', share: 1 }],
    }
    s.updateEvent(closed)
    expect(s.event(e2)).toEqual(closed)

    const ids = (from: number, to: number, limit = 100) =>
      s.listEvents(from, to, limit).map((e) => e.id)
    expect(ids(0, 1000)).toEqual([e3, e2, e1])
    expect(ids(0, 1000, 2)).toEqual([e3, e2])
    // end >= from: an event ending exactly at `from` overlaps; one starting at `to` does not.
    expect(ids(200, 500)).toEqual([e2, e1])
    expect(ids(201, 300)).toEqual([])
    // An open event overlaps everything after its start.
    s.updateEvent({ ...closed, end: null })
    expect(ids(10_000, 20_000)).toEqual([e2])
  })
})
