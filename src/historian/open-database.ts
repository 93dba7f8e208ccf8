import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { VigilError } from '../contract'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations'

export type Db = Database.Database

/**
 * Opens (or creates) the database: WAL, one writer, migrations applied in a transaction.
 * A database written by a newer Vigil is refused, never silently downgraded.
 */
export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, file)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

function migrate(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) {
    throw new VigilError(
      'NOT_AVAILABLE',
      `The database ${file} was written by a newer version of Vigil (schema ${current}; this version knows up to ${SCHEMA_VERSION}). Install the newer Vigil, or start with another data folder.`,
    )
  }
  const pending = MIGRATIONS.filter((m) => m.version > current)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
}
