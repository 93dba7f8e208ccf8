import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  sensorSchema,
  type BackupResult,
  type Integrity,
  type MaintenanceReport,
  type QuerySeriesParams,
  type QuerySeriesResult,
  type RecoveryNotice,
  type SampleBatch,
  type Sensor,
  type StorageInfo,
  type StorageSettings,
} from '../contract'
import type { Sample } from '../ingest/sample'
import type { Logger } from '../log/logger'
import { backupDatabase, backupFileName } from './backup'
import { Maintenance, retentionCutoff } from './maintenance'
import { SCHEMA_VERSION } from './migrations'
import { checkIntegrityInBackground } from './integrity-check'
import { damagedMarker, openDatabase, type Db } from './open-database'
import { RowCounts } from './row-counts'
import { SampleWriter } from './sample-writer'
import { SeriesQuery, type Horizons } from './series-query'
import { SourceStore } from './source-store'
import { ModelStore } from './model-store'
import { AlarmStore } from './alarm-store'
import { AccountStore } from '../auth/account-store'
import { AuditTrail } from '../audit/audit-trail'
import {
  loadCapCutoffs,
  lastRecords,
  loadStorageSettings,
  saveStorageSettings,
  type CapCutoffs,
} from './settings-store'
import { levelStats } from './level-stats'

export const DB_FILE_NAME = 'vigil.db'

export interface HistorianOptions {
  log?: Logger
  now?: () => number
  /** Rows per delete chunk in maintenance (tests use small ones). */
  maintenanceChunkRows?: number
  /** Files larger than this are integrity-checked in the background (tests use 0). */
  syncCheckMaxBytes?: number
}

export interface HistorianStats {
  dbBytes: number
  samplesWritten: number
  lastWriteAt: number | null
  recovery: RecoveryNotice | null
  integrity: Integrity
}

/** Samples per transaction on the bulk import path. */
const BULK_TRANSACTION_SAMPLES = 200_000

/**
 * The history of every sensor in one SQLite file: raw samples, 1-minute and 1-hour rollups kept
 * as data arrives, chart queries that pick the right resolution, retention, a size cap, online
 * backups and recovery from a damaged file. One writer; each batch is one durable transaction.
 */
export class Historian {
  readonly file: string
  readonly recovery: RecoveryNotice | null
  private readonly db: Db
  private readonly now: () => number
  private readonly log: Logger | undefined
  private readonly keys = new Map<string, number>()
  private readonly meta = new Map<string, Sensor>()
  private readonly upsertSensor
  private readonly counts: RowCounts
  private readonly writer: SampleWriter
  private readonly series: SeriesQuery
  private readonly maintenance: Maintenance
  /** The configured sensor sources. */
  readonly sourceStore: SourceStore
  /** Trained anomaly-model versions. */
  readonly modelStore: ModelStore
  /** Alarm definitions, live alarm states, the alarm journal and anomaly events. */
  readonly alarmStore: AlarmStore
  /** User accounts and the security settings. */
  readonly accountStore: AccountStore
  /** Configuration changes, sign-ins and sign-outs. */
  readonly auditTrail: AuditTrail
  private storageSettings: StorageSettings
  private capCutoffs: CapCutoffs
  private samplesWritten = 0
  private lastWriteAt: number | null = null
  private lastMaintenance: MaintenanceReport | null = null
  private lastBackup: BackupResult | null = null
  private integrityState: Integrity
  /** Resolves when the background integrity check (if any) has finished. */
  readonly integrityChecked: Promise<Integrity>
  private readonly keyOf = (id: string) => this.keys.get(id)

  constructor(
    private readonly dataDir: string,
    opts: HistorianOptions = {},
  ) {
    this.file = join(dataDir, DB_FILE_NAME)
    this.now = opts.now ?? Date.now
    this.log = opts.log
    const opened = openDatabase(this.file, {
      now: this.now,
      log: opts.log,
      syncCheckMaxBytes: opts.syncCheckMaxBytes,
    })
    this.db = opened.db
    this.recovery = opened.recovery
    this.integrityState = {
      state: opened.checkLater ? 'checking' : 'ok',
      detail: null,
      checkedAt: opened.checkLater ? null : this.now(),
    }
    this.integrityChecked = opened.checkLater
      ? this.checkInBackground()
      : Promise.resolve(this.integrityState)
    this.upsertSensor = this.db.prepare(
      'INSERT INTO sensors (key, meta) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET meta = excluded.meta',
    )
    this.counts = new RowCounts(this.db)
    this.writer = new SampleWriter(this.db, this.counts)
    this.series = new SeriesQuery(this.db)
    this.sourceStore = new SourceStore(this.db)
    this.modelStore = new ModelStore(this.db)
    this.alarmStore = new AlarmStore(this.db)
    this.accountStore = new AccountStore(this.db)
    this.auditTrail = new AuditTrail(this.db, this.now, opts.log?.scope('audit'))
    this.maintenance = new Maintenance(this.db, this.counts, () => [...this.keys.values()], {
      log: opts.log,
      chunkRows: opts.maintenanceChunkRows,
    })
    this.storageSettings = loadStorageSettings(this.db, opts.log)
    this.capCutoffs = loadCapCutoffs(this.db)
    this.lastMaintenance = lastRecords.maintenance(this.db)
    this.lastBackup = lastRecords.backup(this.db)
    this.loadSensors()
    if (opened.pending.includes('rebuild-rollups')) this.rebuildRollups()
  }

  /** A large file is checked while the app already runs; damage is acted on at next start. */
  private async checkInBackground(): Promise<Integrity> {
    const result = await checkIntegrityInBackground(this.file)
    const state: Integrity['state'] = result.ok ? 'ok' : result.damaged ? 'damaged' : 'unknown'
    this.integrityState = { state, detail: result.ok ? null : result.detail, checkedAt: this.now() }
    if (state === 'damaged') {
      writeFileSync(damagedMarker(this.file), result.detail)
      this.log?.error(
        `integrity check found ${this.file} damaged (${result.detail}); it will be set aside and a new one started at the next start`,
      )
    } else if (state === 'unknown') {
      this.log?.warn(`integrity check could not run: ${result.detail}`)
    }
    return this.integrityState
  }

  private loadSensors(): void {
    const rows = this.db
      .prepare<[], { id: number; key: string; meta: string }>('SELECT id, key, meta FROM sensors')
      .all()
    for (const r of rows) {
      this.keys.set(r.key, r.id)
      const parsed = sensorSchema.safeParse(JSON.parse(r.meta))
      if (parsed.success) this.meta.set(r.key, parsed.data)
      else this.log?.warn(`sensor ${r.key}: stored description is not valid; its history is kept`)
    }
  }

  /** Records (or updates) the description of sensors; their history is kept either way. */
  registerSensors(sensors: readonly Sensor[]): void {
    this.db.transaction(() => {
      for (const s of sensors) this.upsertSensor.run(s.id, JSON.stringify(s))
    })()
    const ids = this.db
      .prepare<[], { id: number; key: string }>('SELECT id, key FROM sensors')
      .all()
    for (const r of ids) this.keys.set(r.key, r.id)
    for (const s of sensors) this.meta.set(s.id, s)
  }

  /** Every sensor with a description, including those whose source is gone (their history stays). */
  sensors(): Sensor[] {
    return [...this.meta.values()]
  }

  sensor(id: string): Sensor | undefined {
    return this.meta.get(id)
  }

  /**
   * Writes one batch, rollups included, in one transaction that is on disk when this returns.
   * Samples of unknown sensors, non-finite values and repeats of a stored (sensor, time) are
   * dropped. Returns how many were stored.
   */
  writeBatch(batch: SampleBatch): number {
    const n = this.writer.write(batch, this.keyOf)
    this.samplesWritten += n
    if (n > 0) this.lastWriteAt = this.now()
    return n
  }

  /** The import fast path: large transactions, rollups kept as for live data. */
  bulkInsert(batches: Iterable<SampleBatch>): number {
    let total = 0
    let inTx = 0
    let pending: SampleBatch[] = []
    const commit = () => {
      const list = pending
      pending = []
      inTx = 0
      total += this.db.transaction(() =>
        list.reduce((n, b) => n + this.writer.writeInTransaction(b, this.keyOf), 0),
      )()
    }
    for (const b of batches) {
      pending.push(b)
      inTx += b.t.length
      if (inTx >= BULK_TRANSACTION_SAMPLES) commit()
    }
    commit()
    this.samplesWritten += total
    if (total > 0) this.lastWriteAt = this.now()
    return total
  }

  /** Recomputes both rollups from the raw samples (after an upgrade from a schema without them). */
  rebuildRollups(): void {
    const started = performance.now()
    this.db.transaction(() => {
      this.db.exec('DELETE FROM rollup_1m; DELETE FROM rollup_1h')
      const rows = this.db
        .prepare<[], [number, number, number]>('SELECT sensor, t, value FROM samples')
        .raw()
      for (const [sensor, t, value] of rows.iterate()) this.writer.foldStored(sensor, t, value)
      this.writer.flushRollups()
      this.counts.reset(this.db, 'rollup_1m')
      this.counts.reset(this.db, 'rollup_1h')
    })()
    this.log?.info(`rollups rebuilt in ${Math.round(performance.now() - started)} ms`)
  }

  /** The time of a sensor's newest stored sample, or null when it has none. */
  lastSampleTime(sensorId: string): number | null {
    const key = this.keys.get(sensorId)
    if (key === undefined) return null
    const row = this.db
      .prepare<[number], { t: number }>('SELECT MAX(t) AS t FROM samples WHERE sensor = ?')
      .get(key)
    return row?.t ?? null
  }

  /** Streams stored samples of a range, sensor by sensor in time order (exports, reports). */
  *readRange(sensorIds: readonly string[], from: number, to: number): Generator<Sample> {
    const stmt = this.db.prepare<[number, number, number], [number, number]>(
      'SELECT t, value FROM samples WHERE sensor = ? AND t >= ? AND t < ? ORDER BY t',
    )
    for (const sensorId of sensorIds) {
      const key = this.keys.get(sensorId)
      if (key === undefined) continue
      for (const [t, value] of stmt.raw().iterate(key, from, to)) yield { sensorId, t, value }
    }
  }

  querySeries(p: QuerySeriesParams): QuerySeriesResult {
    const horizons = this.horizons()
    const series = p.sensorIds.map((id) =>
      this.series.query(this.keys.get(id), id, p, this.meta.get(id)?.periodMs ?? 1000, horizons),
    )
    return { from: p.from, to: p.to, series }
  }

  /** Where each resolution's data begins after retention and the size cap. */
  private horizons(): Horizons {
    const now = this.now()
    const cap = this.capCutoffs
    const h = (level: keyof Horizons): number | null => {
      const cutoffs = [
        retentionCutoff(this.storageSettings, level, now),
        cap[level] ?? null,
      ].filter((c): c is number => c !== null)
      return cutoffs.length ? Math.max(...cutoffs) : null
    }
    return { raw: h('raw'), '1m': h('1m'), '1h': h('1h') }
  }

  /**
   * Runs `fn` in a transaction that is on disk when this returns: for records (alarm
   * acknowledgements, the journal) that must never be lost once the user was told.
   */
  durable<T>(fn: (db: Db) => T): T {
    return this.db.transaction(() => fn(this.db))()
  }

  get settings(): StorageSettings {
    return this.storageSettings
  }

  setSettings(settings: StorageSettings): void {
    saveStorageSettings(this.db, settings)
    this.storageSettings = settings
  }

  /** Retention, size cap and space reclaiming, without stopping ingestion. */
  async maintain(): Promise<MaintenanceReport> {
    const report = await this.maintenance.run(this.now(), this.storageSettings)
    this.lastMaintenance = report
    lastRecords.saveMaintenance(this.db, report)
    this.capCutoffs = loadCapCutoffs(this.db)
    if (report.deletedRows > 0) {
      this.log?.info(
        `maintenance: deleted ${report.deletedRows} rows (${report.reasons.join(', ')}), reclaimed ${report.reclaimedBytes} bytes in ${Math.round(report.durationMs)} ms`,
      )
    }
    return report
  }

  /** An online backup, by default into `<data folder>/backups/`. */
  async backup(dest?: string): Promise<BackupResult> {
    const file = dest ?? join(this.dataDir, 'backups', backupFileName(this.now()))
    const result = await backupDatabase(this.db, file, this.now)
    this.lastBackup = result
    lastRecords.saveBackup(this.db, result)
    this.log?.info(
      `backup written to ${result.file} (${result.bytes} bytes, integrity ${result.integrity})`,
    )
    return result
  }

  info(): StorageInfo {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number
    const free = this.db.pragma('freelist_count', { simple: true }) as number
    return {
      file: this.file,
      bytes: this.stats().dbBytes,
      freeBytes: free * pageSize,
      schemaVersion: SCHEMA_VERSION,
      settings: this.storageSettings,
      levels: levelStats(this.db, this.counts, [...this.keys.values()]),
      lastMaintenance: this.lastMaintenance,
      lastBackup: this.lastBackup,
      recovery: this.recovery,
      integrity: this.integrityState,
    }
  }

  stats(): HistorianStats {
    let dbBytes = 0
    for (const suffix of ['', '-wal']) {
      try {
        dbBytes += statSync(this.file + suffix).size
      } catch {
        // The WAL file does not exist between checkpoints.
      }
    }
    return {
      dbBytes,
      samplesWritten: this.samplesWritten,
      lastWriteAt: this.lastWriteAt,
      recovery: this.recovery,
      integrity: this.integrityState,
    }
  }

  close(): void {
    if (!this.db.open) return
    this.db.pragma('wal_checkpoint(TRUNCATE)')
    this.db.close()
  }
}
