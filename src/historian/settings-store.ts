import type { z } from 'zod'
import {
  backupResultSchema,
  DEFAULT_STORAGE_SETTINGS,
  maintenanceReportSchema,
  storageSettingsSchema,
  type BackupResult,
  type MaintenanceReport,
  type StorageSettings,
} from '../contract'
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

function loadValidated<T>(db: Db, key: string, schema: z.ZodType<T>): T | null {
  const parsed = schema.safeParse(getSetting(db, key))
  return parsed.success ? parsed.data : null
}

/** The last maintenance and backup, kept so the Storage page shows them after a restart too. */
export const lastRecords = {
  maintenance: (db: Db): MaintenanceReport | null =>
    loadValidated(db, 'last-maintenance', maintenanceReportSchema),
  saveMaintenance: (db: Db, r: MaintenanceReport) => putSetting(db, 'last-maintenance', r),
  backup: (db: Db): BackupResult | null => loadValidated(db, 'last-backup', backupResultSchema),
  saveBackup: (db: Db, r: BackupResult) => putSetting(db, 'last-backup', r),
}
