import type { Db } from './open-database'

/** Source configurations, stored beside the history they produce (they travel with a backup). */
export class SourceStore {
  constructor(private readonly db: Db) {}

  /** Every stored configuration, as stored: the caller validates it. */
  list(): { id: string; config: unknown }[] {
    return this.db
      .prepare<[], { id: string; config: string }>('SELECT id, config FROM sources ORDER BY id')
      .all()
      .map((r) => ({ id: r.id, config: safeJson(r.config) }))
  }

  /** Creates or replaces one, durably. */
  put(id: string, config: unknown, now: number): void {
    this.db
      .prepare(
        `INSERT INTO sources (id, config, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
      )
      .run(id, JSON.stringify(config), now)
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM sources WHERE id = ?').run(id).changes > 0
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}
