import { DEFAULT_STORAGE_SETTINGS, storageSettingsSchema, type StorageSettings } from '../contract'
import type { Logger } from '../log/logger'
import type { Db } from './open-database'

function getSetting(db: Db, key: string): unknown {
  const row = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get(key)
  if (!row) return undefined
  try {
    return JSON.parse(row.value) as unknown
  } catch {
    return undefined
  }
}

function putSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value))
}

/** The retention settings, stored in the database itself so they travel with a backup. */
export function loadStorageSettings(db: Db, log?: Logger): StorageSettings {
  const stored = getSetting(db, 'storage')
  if (stored === undefined) return DEFAULT_STORAGE_SETTINGS
  const parsed = storageSettingsSchema.safeParse(stored)
  if (parsed.success) return parsed.data
  log?.warn('stored storage settings are not valid; using the defaults')
  return DEFAULT_STORAGE_SETTINGS
}

export function saveStorageSettings(db: Db, settings: StorageSettings): void {
  putSetting(db, 'storage', settings)
}

/** Times before which the size cap deleted a resolution's data, kept so queries know. */
export type CapCutoffs = Partial<Record<'raw' | '1m' | '1h', number>>

export function loadCapCutoffs(db: Db): CapCutoffs {
  const stored = getSetting(db, 'cap-cutoffs')
  return typeof stored === 'object' && stored !== null ? (stored as CapCutoffs) : {}
}

export function saveCapCutoffs(db: Db, cutoffs: CapCutoffs): void {
  putSetting(db, 'cap-cutoffs', cutoffs)
}
