import { z } from 'zod'

const DAY_LIMIT = 36_500 // a century: "forever" is null, not a huge number

/**
 * How long each resolution of the history is kept, and an optional cap on the database size.
 * Raw samples go first, then 1-minute rollups; 1-hour rollups are kept forever unless told.
 */
export const storageSettingsSchema = z
  .object({
    rawRetentionDays: z.number().int().min(1).max(DAY_LIMIT),
    minuteRetentionDays: z.number().int().min(1).max(DAY_LIMIT),
    /** null: forever. */
    hourRetentionDays: z.number().int().min(1).max(DAY_LIMIT).nullable(),
    /** null: no cap. When the database grows past it, the oldest raw data is deleted first. */
    maxSizeMb: z.number().int().min(16).max(10_000_000).nullable(),
  })
  .strict()
  .refine((s) => s.minuteRetentionDays >= s.rawRetentionDays, {
    message: '1-minute history must be kept at least as long as raw samples',
    path: ['minuteRetentionDays'],
  })
  .refine((s) => s.hourRetentionDays === null || s.hourRetentionDays >= s.minuteRetentionDays, {
    message: '1-hour history must be kept at least as long as 1-minute history',
    path: ['hourRetentionDays'],
  })
export type StorageSettings = z.infer<typeof storageSettingsSchema>

export const DEFAULT_STORAGE_SETTINGS: StorageSettings = {
  rawRetentionDays: 30,
  minuteRetentionDays: 365,
  hourRetentionDays: null,
  maxSizeMb: null,
}

const epochMs = z.number().int().nonnegative()

export const storageLevelSchema = z.object({
  level: z.enum(['raw', '1m', '1h']),
  rows: z.number().int(),
  oldest: epochMs.nullable(),
  newest: epochMs.nullable(),
})

/** What happened to a damaged database file found at start-up. */
export const recoveryNoticeSchema = z.object({
  at: epochMs,
  reason: z.string(),
  /** Where the damaged file was moved; it is kept for a specialist to look at. */
  movedTo: z.string(),
})
export type RecoveryNotice = z.infer<typeof recoveryNoticeSchema>

/**
 * The database's integrity: checked before start-up for small files, in the background for
 * large ones. `damaged`: the file is set aside at the next start (a restart does it).
 */
export const integritySchema = z.object({
  state: z.enum(['ok', 'checking', 'damaged', 'unknown']),
  detail: z.string().nullable(),
  checkedAt: epochMs.nullable(),
})
export type Integrity = z.infer<typeof integritySchema>

export const maintenanceReportSchema = z.object({
  at: epochMs,
  durationMs: z.number(),
  deletedRows: z.number().int(),
  reclaimedBytes: z.number().int(),
  /** Why rows were deleted: their age (retention) or the size cap. */
  reasons: z.array(z.enum(['retention', 'size-cap'])),
})
export type MaintenanceReport = z.infer<typeof maintenanceReportSchema>

export const backupResultSchema = z.object({
  file: z.string(),
  bytes: z.number().int(),
  durationMs: z.number(),
  at: epochMs,
  /** `ok`, or what the integrity check of the copy found. */
  integrity: z.string(),
})
export type BackupResult = z.infer<typeof backupResultSchema>

export const storageInfoSchema = z.object({
  file: z.string(),
  /** Database plus its write-ahead log, on disk. */
  bytes: z.number().int(),
  /** Free pages inside the file, to be reclaimed by incremental vacuum. */
  freeBytes: z.number().int(),
  schemaVersion: z.number().int(),
  settings: storageSettingsSchema,
  levels: z.array(storageLevelSchema),
  lastMaintenance: maintenanceReportSchema.nullable(),
  lastBackup: backupResultSchema.nullable(),
  recovery: recoveryNoticeSchema.nullable(),
  integrity: integritySchema,
})
export type StorageInfo = z.infer<typeof storageInfoSchema>

export const backupParamsSchema = z.object({}).strict()
