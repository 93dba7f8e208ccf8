import type { Statement } from 'better-sqlite3'
import type {
  AlarmDefinition,
  AlarmPriority,
  AlarmState,
  AnomalyEvent,
  Contributor,
  JournalCause,
  JournalEntry,
  JournalPage,
  JournalQuery,
} from '../contract'
import type { AlarmDetail, AlarmRuntime, StoredAlarmState } from '../alarms/alarm-runtime'
import type { Db } from './open-database'

/** The journal rows the KPIs are computed from (see `computeKpis`). */
export interface KpiInput {
  /**
   * Per alarm, its last row before `from` (its state at the start of the range) and its latest
   * `activate` row before `from` when that is another row (when it was activated). In (t, seq)
   * order.
   */
  before: JournalEntry[]
  /** The rows in [from, to), ordered by t then seq. */
  entries: JournalEntry[]
}

interface JournalRow {
  seq: number
  t: number
  alarm_id: string
  alarm_name: string
  priority: string
  cause: string
  from_state: string
  to_state: string
  user: string | null
  note: string | null
  value: number | null
  sensor_id: string | null
}

interface EventRow {
  id: number
  alarm_id: string
  model_id: number
  start: number
  end: number | null
  peak_score: number
  peak_at: number
  threshold: number
  contributors: string
}

const JOURNAL_COLUMNS = `seq, t, alarm_id, alarm_name, priority, cause, from_state, to_state, user,
  note, value, sensor_id`
const EVENT_COLUMNS =
  'id, alarm_id, model_id, start, end, peak_score, peak_at, threshold, contributors'

/** Filter values bound to a journal query. */
type Param = string | number

/**
 * The alarm system's records in the history database: definitions, each alarm's live state, the
 * append-only journal and anomaly events. JSON columns are parsed, not validated: the
 * alarm service validates what it loads. A single-statement write is its own durable
 * transaction; several writes that belong together go in `transaction`.
 */
export class AlarmStore {
  private readonly selectDefinitions: Statement<[], { definition: string }>
  private readonly upsertDefinition: Statement<[string, string, number, number]>
  private readonly deleteDefinitionRow: Statement<[string]>
  private readonly deleteStateRow: Statement<[string]>
  private readonly selectStates: Statement<
    [],
    { alarm_id: string; runtime: string; detail: string }
  >
  private readonly upsertState: Statement<[string, string, string]>
  private readonly insertJournal: Statement<
    [
      number,
      string,
      string,
      string,
      string,
      string,
      string,
      string | null,
      string | null,
      number | null,
      string | null,
    ]
  >
  private readonly lastSeq: Statement<[], { seq: number }>
  private readonly countJournal: Statement<[], { n: number }>
  private readonly rowsBefore: Statement<[{ from: number }], JournalRow>
  private readonly rowsInRange: Statement<[number, number], JournalRow>
  private readonly insertEventRow: Statement<
    [string, number, number, number | null, number, number, number, string]
  >
  private readonly updateEventRow: Statement<
    [string, number, number, number | null, number, number, number, string, number]
  >
  private readonly selectEvent: Statement<[number], EventRow>
  private readonly selectEvents: Statement<[number, number, number], EventRow>
  /** Journal queries by their SQL (the filters present decide the text). */
  private readonly journalQueries = new Map<string, Statement<Param[], JournalRow>>()
  private readonly journalCounts = new Map<string, Statement<Param[], { n: number }>>()

  constructor(private readonly db: Db) {
    this.selectDefinitions = db.prepare('SELECT definition FROM alarm_definitions ORDER BY id')
    this.upsertDefinition = db.prepare(
      `INSERT INTO alarm_definitions (id, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,
         updated_at = excluded.updated_at`,
    )
    this.deleteDefinitionRow = db.prepare('DELETE FROM alarm_definitions WHERE id = ?')
    this.deleteStateRow = db.prepare('DELETE FROM alarm_state WHERE alarm_id = ?')
    this.selectStates = db.prepare('SELECT alarm_id, runtime, detail FROM alarm_state')
    this.upsertState = db.prepare(
      `INSERT INTO alarm_state (alarm_id, runtime, detail) VALUES (?, ?, ?)
       ON CONFLICT (alarm_id) DO UPDATE SET runtime = excluded.runtime, detail = excluded.detail`,
    )
    this.insertJournal = db.prepare(
      `INSERT INTO alarm_journal (t, alarm_id, alarm_name, priority, cause, from_state, to_state,
         user, note, value, sensor_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM alarm_journal')
    this.countJournal = db.prepare('SELECT COUNT(*) AS n FROM alarm_journal')
    // Per alarm, its newest row and its newest activation before `from`, found through the
    // (alarm_id, t) index.
    this.rowsBefore = db.prepare(
      `WITH a AS (SELECT DISTINCT alarm_id FROM alarm_journal WHERE t < :from)
       SELECT ${JOURNAL_COLUMNS} FROM alarm_journal WHERE seq IN (
         SELECT (SELECT j.seq FROM alarm_journal j WHERE j.alarm_id = a.alarm_id AND j.t < :from
                 ORDER BY j.t DESC, j.seq DESC LIMIT 1) FROM a
         UNION
         SELECT (SELECT j.seq FROM alarm_journal j
                 WHERE j.alarm_id = a.alarm_id AND j.t < :from AND j.cause = 'activate'
                 ORDER BY j.t DESC, j.seq DESC LIMIT 1) FROM a)
       ORDER BY t, seq`,
    )
    this.rowsInRange = db.prepare(
      `SELECT ${JOURNAL_COLUMNS} FROM alarm_journal WHERE t >= ? AND t < ? ORDER BY t, seq`,
    )
    this.insertEventRow = db.prepare(
      `INSERT INTO anomaly_events (alarm_id, model_id, start, end, peak_score, peak_at, threshold,
         contributors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.updateEventRow = db.prepare(
      `UPDATE anomaly_events SET alarm_id = ?, model_id = ?, start = ?, end = ?, peak_score = ?,
         peak_at = ?, threshold = ?, contributors = ?
       WHERE id = ?`,
    )
    this.selectEvent = db.prepare(`SELECT ${EVENT_COLUMNS} FROM anomaly_events WHERE id = ?`)
    this.selectEvents = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM anomaly_events
       WHERE start < ? AND (end IS NULL OR end >= ?)
       ORDER BY start DESC, id DESC LIMIT ?`,
    )
  }

  /**
   * Runs `fn` in one transaction, on disk when this returns (WAL, synchronous = FULL). Nested
   * calls become savepoints of the outer transaction.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  // --- Definitions ------------------------------------------------------------------------------

  /** Every stored definition, by id (parsed, not validated). */
  definitions(): AlarmDefinition[] {
    return this.selectDefinitions.all().map((r) => JSON.parse(r.definition) as AlarmDefinition)
  }

  /** Inserts or replaces a definition; a replaced one keeps its creation time. */
  saveDefinition(def: AlarmDefinition, t: number): void {
    this.upsertDefinition.run(def.id, JSON.stringify(def), t, t)
  }

  /** Deletes a definition and its live state. */
  deleteDefinition(id: string): void {
    this.transaction(() => {
      this.deleteDefinitionRow.run(id)
      this.deleteStateRow.run(id)
    })
  }

  // --- Live states ------------------------------------------------------------------------------

  states(): Map<string, StoredAlarmState> {
    const out = new Map<string, StoredAlarmState>()
    for (const r of this.selectStates.all()) {
      out.set(r.alarm_id, {
        runtime: JSON.parse(r.runtime) as AlarmRuntime,
        detail: JSON.parse(r.detail) as AlarmDetail,
      })
    }
    return out
  }

  saveStates(rows: { id: string; state: StoredAlarmState }[]): void {
    if (rows.length === 0) return
    this.transaction(() => {
      for (const r of rows) {
        this.upsertState.run(r.id, JSON.stringify(r.state.runtime), JSON.stringify(r.state.detail))
      }
    })
  }

  // --- Journal ----------------------------------------------------------------------------------

  /**
   * Appends rows in order and returns the seq of the last one (with no rows: the journal's
   * current last seq, 0 when empty). Meant to run inside the caller's `transaction`, with the
   * state changes the rows record.
   */
  appendJournal(rows: Omit<JournalEntry, 'seq'>[]): number {
    let last: number | null = null
    for (const r of rows) {
      const res = this.insertJournal.run(
        r.t,
        r.alarmId,
        r.alarmName,
        r.priority,
        r.cause,
        r.from,
        r.to,
        r.user,
        r.note,
        r.value,
        r.sensorId,
      )
      last = Number(res.lastInsertRowid)
    }
    return last ?? this.lastSeq.get()?.seq ?? 0
  }

  /**
   * Newest first (by seq), at most `limit` rows, older than `beforeSeq` when given. `total`
   * counts the rows matching the filters over the whole range. An empty `priorities` or `states`
   * list matches nothing; a missing one matches everything.
   */
  queryJournal(q: JournalQuery): JournalPage {
    const where = ['t >= ?', 't < ?']
    const params: Param[] = [q.from, q.to]
    if (q.priorities) {
      where.push(`priority IN (${q.priorities.map(() => '?').join(', ')})`)
      params.push(...q.priorities)
    }
    if (q.states) {
      where.push(`to_state IN (${q.states.map(() => '?').join(', ')})`)
      params.push(...q.states)
    }
    if (q.alarmId !== undefined) {
      where.push('alarm_id = ?')
      params.push(q.alarmId)
    }
    if (q.sensorId !== undefined) {
      where.push('sensor_id = ?')
      params.push(q.sensorId)
    }
    const filter = where.join(' AND ')
    const total = this.countStatement(filter).get(...params)?.n ?? 0

    const pageWhere = q.beforeSeq === undefined ? filter : `${filter} AND seq < ?`
    const pageParams = q.beforeSeq === undefined ? params : [...params, q.beforeSeq]
    const entries = this.pageStatement(pageWhere)
      .all(...pageParams, q.limit)
      .map(toEntry)
    return { entries, total }
  }

  journalCount(): number {
    return this.countJournal.get()?.n ?? 0
  }

  /** What `computeKpis` needs for [from, to). */
  kpiInput(from: number, to: number): KpiInput {
    const before = this.rowsBefore.all({ from }).map(toEntry)
    return { before, entries: this.rowsInRange.all(from, to).map(toEntry) }
  }

  private pageStatement(where: string): Statement<Param[], JournalRow> {
    let s = this.journalQueries.get(where)
    if (!s) {
      s = this.db.prepare<Param[], JournalRow>(
        `SELECT ${JOURNAL_COLUMNS} FROM alarm_journal WHERE ${where} ORDER BY seq DESC LIMIT ?`,
      )
      this.journalQueries.set(where, s)
    }
    return s
  }

  private countStatement(where: string): Statement<Param[], { n: number }> {
    let s = this.journalCounts.get(where)
    if (!s) {
      s = this.db.prepare<Param[], { n: number }>(
        `SELECT COUNT(*) AS n FROM alarm_journal WHERE ${where}`,
      )
      this.journalCounts.set(where, s)
    }
    return s
  }

  // --- Anomaly events ---------------------------------------------------------------------------

  insertEvent(e: Omit<AnomalyEvent, 'id'>): number {
    const res = this.insertEventRow.run(
      e.alarmId,
      e.modelId,
      e.start,
      e.end,
      e.peakScore,
      e.peakAt,
      e.threshold,
      JSON.stringify(e.contributors),
    )
    return Number(res.lastInsertRowid)
  }

  updateEvent(e: AnomalyEvent): void {
    this.updateEventRow.run(
      e.alarmId,
      e.modelId,
      e.start,
      e.end,
      e.peakScore,
      e.peakAt,
      e.threshold,
      JSON.stringify(e.contributors),
      e.id,
    )
  }

  event(id: number): AnomalyEvent | null {
    const row = this.selectEvent.get(id)
    return row ? toEvent(row) : null
  }

  /** Events overlapping [from, to) (an open event overlaps everything after its start), newest first. */
  listEvents(from: number, to: number, limit: number): AnomalyEvent[] {
    return this.selectEvents.all(to, from, limit).map(toEvent)
  }
}

function toEntry(r: JournalRow): JournalEntry {
  return {
    seq: r.seq,
    t: r.t,
    alarmId: r.alarm_id,
    alarmName: r.alarm_name,
    priority: r.priority as AlarmPriority,
    cause: r.cause as JournalCause,
    from: r.from_state as AlarmState,
    to: r.to_state as AlarmState,
    user: r.user,
    note: r.note,
    value: r.value,
    sensorId: r.sensor_id,
  }
}

function toEvent(r: EventRow): AnomalyEvent {
  return {
    id: r.id,
    alarmId: r.alarm_id,
    modelId: r.model_id,
    start: r.start,
    end: r.end,
    peakScore: r.peak_score,
    peakAt: r.peak_at,
    threshold: r.threshold,
    contributors: JSON.parse(r.contributors) as Contributor[],
  }
}
