import type { Db } from './open-database'

export type CountedTable = 'samples' | 'rollup_1m' | 'rollup_1h'

/**
 * Row counts per table, updated inside the same transactions as the writes and deletes, so
 * the Storage page never has to count millions of rows.
 */
export class RowCounts {
  private readonly cache = new Map<string, number>()
  private readonly update

  constructor(db: Db) {
    this.update = db.prepare('UPDATE row_counts SET n = n + ? WHERE name = ?')
    for (const r of db
      .prepare<[], { name: string; n: number }>('SELECT name, n FROM row_counts')
      .all()) {
      this.cache.set(r.name, r.n)
    }
  }

  get(table: CountedTable): number {
    return this.cache.get(table) ?? 0
  }

  /** Call inside the transaction that changed the rows. */
  add(table: CountedTable, delta: number): void {
    if (delta === 0) return
    this.update.run(delta, table)
    this.cache.set(table, this.get(table) + delta)
  }

  /** Recounts one table (after a rebuild). */
  reset(db: Db, table: CountedTable): void {
    const n = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n
    db.prepare('UPDATE row_counts SET n = ? WHERE name = ?').run(n, table)
    this.cache.set(table, n)
  }
}
