import { statSync } from 'node:fs'
import { join } from 'node:path'
import {
  sensorSchema,
  type QuerySeriesParams,
  type QuerySeriesResult,
  type SampleBatch,
  type Sensor,
} from '../contract'
import type { Logger } from '../log/logger'
import { openDatabase, type Db } from './open-database'
import { SeriesQuery } from './series-query'

export const DB_FILE_NAME = 'vigil.db'

export interface HistorianStats {
  dbBytes: number
  samplesWritten: number
  lastWriteAt: number | null
}

/**
 * The history of every sensor in one SQLite file: sensors, batched sample writes and range
 * queries for charts. One writer; each batch is one transaction.
 */
export class Historian {
  readonly file: string
  private readonly db: Db
  private readonly keys = new Map<string, number>()
  private readonly meta = new Map<string, Sensor>()
  private readonly insertSample
  private readonly upsertSensor
  private readonly series: SeriesQuery
  private samplesWritten = 0
  private lastWriteAt: number | null = null

  constructor(
    dataDir: string,
    private readonly log?: Logger,
  ) {
    this.file = join(dataDir, DB_FILE_NAME)
    this.db = openDatabase(this.file)
    this.insertSample = this.db.prepare(
      'INSERT OR REPLACE INTO samples (sensor, t, value) VALUES (?, ?, ?)',
    )
    this.upsertSensor = this.db.prepare(
      'INSERT INTO sensors (key, meta) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET meta = excluded.meta',
    )
    this.series = new SeriesQuery(this.db)
    this.loadSensors()
  }

  private loadSensors(): void {
    const rows = this.db
      .prepare<[], { id: number; key: string; meta: string }>('SELECT id, key, meta FROM sensors')
      .all()
    for (const r of rows) {
      const parsed = sensorSchema.safeParse(JSON.parse(r.meta))
      if (!parsed.success) {
        this.log?.warn(`sensor ${r.key}: stored description is not valid, skipped`)
        continue
      }
      this.keys.set(r.key, r.id)
      this.meta.set(r.key, parsed.data)
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

  /** Writes one batch in one transaction. Samples of unknown sensors or non-finite values are dropped. */
  writeBatch(batch: SampleBatch): number {
    let written = 0
    this.db.transaction(() => {
      for (let i = 0; i < batch.t.length; i++) {
        const key = this.keys.get(batch.sensorIds[i])
        const value = batch.values[i]
        if (key === undefined || !Number.isFinite(value)) continue
        this.insertSample.run(key, Math.round(batch.t[i]), value)
        written++
      }
    })()
    this.samplesWritten += written
    if (written > 0) this.lastWriteAt = Date.now()
    return written
  }

  querySeries(p: QuerySeriesParams): QuerySeriesResult {
    const series = p.sensorIds.map((id) =>
      this.series.query(
        this.keys.get(id),
        id,
        p.from,
        p.to,
        p.maxPoints,
        this.meta.get(id)?.periodMs ?? 1000,
      ),
    )
    return { from: p.from, to: p.to, series }
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
    return { dbBytes, samplesWritten: this.samplesWritten, lastWriteAt: this.lastWriteAt }
  }

  close(): void {
    if (!this.db.open) return
    this.db.pragma('wal_checkpoint(TRUNCATE)')
    this.db.close()
  }
}
