import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { VigilError, type RecoveryNotice } from '../contract'
import type { Logger } from '../log/logger'
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations'

export type Db = Database.Database

export interface OpenedDatabase {
  db: Db
  /** Set when the file was damaged and set aside. */
  recovery: RecoveryNotice | null
  /** Post-migration work the historian must do now. */
  pending: NonNullable<Migration['after']>[]
  /** The file is too large to check while the app waits: check it in the background. */
  checkLater: boolean
}

/** Files up to this size are checked before the app starts (a fraction of a second). */
export const SYNC_CHECK_MAX_BYTES = 48 * 1024 * 1024

/** Left beside the database when a background check found it damaged; acted on at next start. */
export const damagedMarker = (file: string) => `${file}.damaged`

const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_VTAB',
])

class DamagedDatabase extends Error {}

function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  return err instanceof DamagedDatabase || (typeof code === 'string' && CORRUPT_CODES.has(code))
}

/**
 * Opens (or creates) the database: WAL with full sync on commit (a committed batch survives a
 * power cut), incremental vacuum, migrations in a transaction. A database written by a newer
 * Vigil is refused, never silently downgraded. A damaged file is moved aside with a timestamp
 * and a new one started; the notice says where the old one went.
 */
export function openDatabase(
  file: string,
  opts: { now?: () => number; log?: Logger; syncCheckMaxBytes?: number } = {},
): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true })
  const now = opts.now ?? Date.now
  const marker = damagedMarker(file)
  try {
    if (existsSync(marker)) {
      throw new DamagedDatabase(readFileSync(marker, 'utf8').trim() || 'found damaged by a check')
    }
    const size = existsSync(file) ? statSync(file).size : 0
    const checkNow = size <= (opts.syncCheckMaxBytes ?? SYNC_CHECK_MAX_BYTES)
    return { ...openChecked(file, checkNow), recovery: null, checkLater: !checkNow }
  } catch (err) {
    if (!isCorruption(err)) throw err
    const at = now()
    const movedTo = `${file}.corrupt-${new Date(at).toISOString().replace(/[:.]/g, '-')}`
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix)
    }
    rmSync(marker, { force: true })
    const reason = err instanceof Error ? err.message : String(err)
    opts.log?.error(
      `database ${file} is damaged (${reason}); moved aside to ${movedTo}, starting a new one`,
    )
    return { ...openChecked(file, false), recovery: { at, reason, movedTo }, checkLater: false }
  }
}

function openChecked(file: string, checkNow: boolean): Pick<OpenedDatabase, 'db' | 'pending'> {
  const db = new Database(file)
  try {
    const fresh =
      (db.prepare('SELECT COUNT(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0
    // Must be chosen before the first table exists; older files are converted below.
    if (fresh) db.pragma('auto_vacuum = INCREMENTAL')
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    if (!fresh && checkNow) {
      const check = db.pragma('quick_check(1)', { simple: true })
      if (check !== 'ok') throw new DamagedDatabase(`integrity check failed: ${String(check)}`)
    }
    const pending = migrate(db, file)
    if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) {
      // A file from before incremental vacuum: convert it once (rewrites the file).
      db.pragma('auto_vacuum = INCREMENTAL')
      db.exec('VACUUM')
    }
    return { db, pending }
  } catch (err) {
    db.close()
    throw err
  }
}

function migrate(db: Db, file: string): NonNullable<Migration['after']>[] {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) {
    throw new VigilError(
      'NOT_AVAILABLE',
      `The database ${file} was written by a newer version of Vigil (schema ${current}; this version knows up to ${SCHEMA_VERSION}). Install the newer Vigil, or start with another data folder.`,
    )
  }
  const todo = MIGRATIONS.filter((m) => m.version > current)
  if (todo.length === 0) return []
  db.transaction(() => {
    for (const m of todo) {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
  // A brand-new database has nothing to rebuild.
  return current === 0 ? [] : todo.flatMap((m) => (m.after ? [m.after] : []))
}
