import Database from 'better-sqlite3'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { VigilError, type BackupResult } from '../contract'
import type { Db } from './open-database'

/** `vigil-2026-11-29T00-15-00Z.db`: sorts by time, safe on every file system. */
export function backupFileName(at: number): string {
  return `vigil-${new Date(at)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}.db`
}

/**
 * An online backup with SQLite's backup API: consistent while samples keep being written, in
 * steps that let the event loop run. The copy is integrity-checked before it is reported.
 */
export async function backupDatabase(
  db: Db,
  dest: string,
  now: () => number = Date.now,
): Promise<BackupResult> {
  if (existsSync(dest))
    throw new VigilError('INVALID_PARAMS', `${dest} already exists; choose another file name.`)
  mkdirSync(dirname(dest), { recursive: true })
  const started = performance.now()
  try {
    await db.backup(dest)
  } catch (err) {
    throw new VigilError(
      'INTERNAL',
      `Backup to ${dest} failed: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const copy = new Database(dest, { readonly: true, fileMustExist: true })
  let integrity: string
  try {
    integrity = String(copy.pragma('quick_check(1)', { simple: true }))
  } finally {
    copy.close()
  }
  return {
    file: dest,
    bytes: statSync(dest).size,
    durationMs: performance.now() - started,
    at: now(),
    integrity,
  }
}

/** Opens a data folder's database read-only, for a backup taken from outside the running app. */
export function openForBackup(file: string): Db {
  if (!existsSync(file)) throw new VigilError('NOT_FOUND', `No Vigil database at ${file}.`)
  return new Database(file, { readonly: true, fileMustExist: true })
}
