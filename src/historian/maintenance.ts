import type { MaintenanceReport, StorageSettings } from '../contract'
import type { Logger } from '../log/logger'
import type { Db } from './open-database'
import type { CountedTable, RowCounts } from './row-counts'
import { loadCapCutoffs, saveCapCutoffs, type CapCutoffs } from './settings-store'

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

interface Table {
  name: CountedTable
  level: keyof CapCutoffs
  time: 't' | 'bucket'
}

/** Oldest first: the size cap deletes raw samples before it touches any rollup. */
const TABLES: readonly Table[] = [
  { name: 'samples', level: 'raw', time: 't' },
  { name: 'rollup_1m', level: '1m', time: 'bucket' },
  { name: 'rollup_1h', level: '1h', time: 'bucket' },
]

export interface MaintenanceOptions {
  log?: Logger
  /** Rows deleted per transaction: small enough that ingestion never waits long. */
  chunkRows?: number
  /** Pages returned to the file system per incremental-vacuum step. */
  vacuumPages?: number
  /** Lets other work (ingestion, requests) run between chunks. */
  pause?: () => Promise<void>
}

export function retentionCutoff(
  settings: StorageSettings,
  level: keyof CapCutoffs,
  now: number,
): number | null {
  const days =
    level === 'raw'
      ? settings.rawRetentionDays
      : level === '1m'
        ? settings.minuteRetentionDays
        : settings.hourRetentionDays
  return days === null ? null : now - days * DAY_MS
}

/**
 * Retention, the size cap and space reclaiming, done in small transactions with pauses in
 * between, so samples keep flowing while old data goes.
 */
export class Maintenance {
  private readonly chunkRows: number
  private readonly vacuumPages: number
  private readonly pause: () => Promise<void>

  constructor(
    private readonly db: Db,
    private readonly counts: RowCounts,
    private readonly sensorKeys: () => number[],
    opts: MaintenanceOptions = {},
  ) {
    this.chunkRows = opts.chunkRows ?? 20_000
    this.vacuumPages = opts.vacuumPages ?? 2048
    this.pause = opts.pause ?? (() => new Promise((r) => setImmediate(r)))
  }

  /** Bytes the database uses, not counting free pages waiting to be reclaimed. */
  usedBytes(): number {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number
    const pages = this.db.pragma('page_count', { simple: true }) as number
    const free = this.db.pragma('freelist_count', { simple: true }) as number
    return (pages - free) * pageSize
  }

  async run(now: number, settings: StorageSettings): Promise<MaintenanceReport> {
    const started = performance.now()
    const sizeBefore = this.fileBytes()
    const reasons = new Set<MaintenanceReport['reasons'][number]>()
    let deleted = 0
    for (const table of TABLES) {
      const cutoff = retentionCutoff(settings, table.level, now)
      if (cutoff === null) continue
      const n = await this.deleteBefore(table, cutoff)
      if (n > 0) reasons.add('retention')
      deleted += n
    }
    if (settings.maxSizeMb !== null) {
      const n = await this.enforceCap(settings.maxSizeMb * 1024 * 1024)
      if (n > 0) reasons.add('size-cap')
      deleted += n
    }
    await this.reclaim()
    return {
      at: now,
      durationMs: performance.now() - started,
      deletedRows: deleted,
      reclaimedBytes: Math.max(0, sizeBefore - this.fileBytes()),
      reasons: [...reasons],
    }
  }

  private fileBytes(): number {
    return (
      (this.db.pragma('page_count', { simple: true }) as number) *
      (this.db.pragma('page_size', { simple: true }) as number)
    )
  }

  /** Deletes a table's rows older than `cutoff`, chunk by chunk, sensor by sensor. */
  private async deleteBefore(table: Table, cutoff: number): Promise<number> {
    const boundary = this.db.prepare<[number, number, number], { t: number }>(
      `SELECT ${table.time} AS t FROM ${table.name} WHERE sensor = ? AND ${table.time} < ? ORDER BY ${table.time} LIMIT 1 OFFSET ?`,
    )
    const remove = this.db.prepare(
      `DELETE FROM ${table.name} WHERE sensor = ? AND ${table.time} < ?`,
    )
    let total = 0
    for (const sensor of this.sensorKeys()) {
      for (;;) {
        const next = boundary.get(sensor, cutoff, this.chunkRows)
        const upTo = next ? next.t : cutoff
        const n = this.db.transaction(() => {
          const changes = remove.run(sensor, upTo).changes
          this.counts.add(table.name, -changes)
          return changes
        })()
        total += n
        if (!next) break
        await this.pause()
      }
    }
    return total
  }

  /** Deletes the oldest data, an hour at a time, raw first, until the database fits the cap. */
  private async enforceCap(capBytes: number): Promise<number> {
    let total = 0
    const cutoffs = loadCapCutoffs(this.db)
    for (const table of TABLES) {
      const oldest = this.db.prepare<[number], { t: number | null }>(
        `SELECT MIN(${table.time}) AS t FROM ${table.name} WHERE sensor = ?`,
      )
      while (this.usedBytes() > capBytes && this.counts.get(table.name) > 0) {
        const times = this.sensorKeys()
          .map((s) => oldest.get(s)?.t)
          .filter((t): t is number => typeof t === 'number')
        if (times.length === 0) break
        const cutoff = Math.min(...times) + HOUR_MS
        total += await this.deleteBefore(table, cutoff)
        cutoffs[table.level] = Math.max(cutoffs[table.level] ?? 0, cutoff)
      }
    }
    if (total > 0) saveCapCutoffs(this.db, cutoffs)
    return total
  }

  /** Gives free pages back to the file system a step at a time, then trims the write-ahead log. */
  private async reclaim(): Promise<void> {
    while ((this.db.pragma('freelist_count', { simple: true }) as number) > 0) {
      this.db.pragma(`incremental_vacuum(${this.vacuumPages})`)
      await this.pause()
    }
    this.db.pragma('wal_checkpoint(TRUNCATE)')
  }
}
