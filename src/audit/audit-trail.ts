import type { Statement } from 'better-sqlite3'
import {
  auditGroupActions,
  type AuditAction,
  type AuditEntry,
  type AuditPage,
  type AuditQuery,
} from '../contract'
import type { Db } from '../historian/open-database'
import type { Logger } from '../log/logger'

/** One change to record; `before` and `after` are stored as JSON. */
export interface AuditRecord {
  user: string | null
  action: AuditAction
  target?: string | null
  before?: unknown
  after?: unknown
  note?: string | null
  origin?: string | null
}

interface Row {
  seq: number
  t: number
  user: string | null
  action: string
  target: string | null
  before: string | null
  after: string | null
  note: string | null
  origin: string | null
}

const COLUMNS = 'seq, t, user, action, target, before, after, note, origin'
type Param = string | number

const asJson = (v: unknown): string | null =>
  v === undefined || v === null ? null : JSON.stringify(v)

/**
 * The append-only audit trail (`audit_journal`): who changed the configuration, signed in or
 * out, or failed to sign in; when; and the value before and after. Each row is its own durable
 * transaction, written before the caller is answered.
 */
export class AuditTrail {
  private readonly insert: Statement<
    [
      number,
      string | null,
      string,
      string | null,
      string | null,
      string | null,
      string | null,
      string | null,
    ]
  >
  private readonly pages = new Map<string, Statement<Param[], Row>>()
  private readonly counts = new Map<string, Statement<Param[], { n: number }>>()

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly log?: Logger,
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit_journal (t, user, action, target, before, after, note, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
  }

  record(r: AuditRecord): void {
    this.insert.run(
      this.now(),
      r.user,
      r.action,
      r.target ?? null,
      asJson(r.before),
      asJson(r.after),
      r.note ?? null,
      r.origin ?? null,
    )
    this.log?.info(
      `${r.action}${r.target ? ` ${r.target}` : ''} by ${r.user ?? 'the system'}${r.origin ? ` from ${r.origin}` : ''}`,
    )
  }

  /** Newest first (by seq), at most `limit` rows; `total` counts every match in the range. */
  query(q: AuditQuery): AuditPage {
    const where = ['t >= ?', 't < ?']
    const params: Param[] = [q.from, q.to]
    for (const actions of [q.actions, q.group && auditGroupActions(q.group)]) {
      if (!actions) continue
      where.push(`action IN (${actions.map(() => '?').join(', ') || "''"})`)
      params.push(...actions)
    }
    if (q.user !== undefined) {
      where.push('user = ? COLLATE NOCASE')
      params.push(q.user)
    }
    const filter = where.join(' AND ')
    const total =
      this.statement(this.counts, `SELECT COUNT(*) AS n FROM audit_journal WHERE ${filter}`).get(
        ...params,
      )?.n ?? 0
    const pageWhere = q.beforeSeq === undefined ? filter : `${filter} AND seq < ?`
    const pageParams = q.beforeSeq === undefined ? params : [...params, q.beforeSeq]
    const rows = this.statement(
      this.pages,
      `SELECT ${COLUMNS} FROM audit_journal WHERE ${pageWhere} ORDER BY seq DESC LIMIT ?`,
    ).all(...pageParams, q.limit)
    return { entries: rows.map(toEntry), total }
  }

  private statement<R>(
    cache: Map<string, Statement<Param[], R>>,
    sql: string,
  ): Statement<Param[], R> {
    let s = cache.get(sql)
    if (!s) {
      s = this.db.prepare<Param[], R>(sql)
      cache.set(sql, s)
    }
    return s
  }
}

function toEntry(r: Row): AuditEntry {
  return { ...r, action: r.action as AuditAction }
}
