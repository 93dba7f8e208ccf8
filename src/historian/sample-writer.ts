import type { SampleBatch } from '../contract'
import type { Db } from './open-database'
import { RollupAccumulator, RollupWriter, ROLLUP_LEVELS } from './rollups'
import type { RowCounts } from './row-counts'

const [MINUTE, HOUR] = ROLLUP_LEVELS

/**
 * The write path: raw samples and both rollups in one transaction per batch. A sample already
 * stored for the same sensor and millisecond is kept (the first value wins), so rollups count
 * each stored sample exactly once, however late or out of order it arrives.
 */
export class SampleWriter {
  private readonly insert
  private readonly minutes = new RollupAccumulator(MINUTE.ms)
  private readonly hours = new RollupAccumulator(HOUR.ms)
  private readonly minuteWriter: RollupWriter
  private readonly hourWriter: RollupWriter

  constructor(
    private readonly db: Db,
    private readonly counts: RowCounts,
  ) {
    this.insert = db.prepare('INSERT OR IGNORE INTO samples (sensor, t, value) VALUES (?, ?, ?)')
    this.minuteWriter = new RollupWriter(db, MINUTE)
    this.hourWriter = new RollupWriter(db, HOUR)
  }

  /** Writes a batch; returns how many samples were stored. Call inside a transaction. */
  writeInTransaction(batch: SampleBatch, keyOf: (sensorId: string) => number | undefined): number {
    let stored = 0
    const { sensorIds, t, values } = batch
    for (let i = 0; i < t.length; i++) {
      const key = keyOf(sensorIds[i] ?? '')
      const value = values[i] ?? NaN
      const time = Math.round(t[i] ?? NaN)
      if (key === undefined || !Number.isFinite(value) || !(time >= 0)) continue
      if (this.insert.run(key, time, value).changes === 0) continue
      this.minutes.add(key, time, value)
      stored++
    }
    this.flushRollups()
    this.counts.add('samples', stored)
    return stored
  }

  /** Writes a batch in its own transaction; durable when it returns (synchronous = FULL). */
  write(batch: SampleBatch, keyOf: (sensorId: string) => number | undefined): number {
    return this.db.transaction(() => this.writeInTransaction(batch, keyOf))()
  }

  /** Folds stored raw rows into the rollups, for a rebuild. Call inside a transaction. */
  foldStored(sensor: number, t: number, value: number): void {
    this.minutes.add(sensor, t, value)
    if (this.minutes.size >= 50_000) this.flushRollups()
  }

  flushRollups(): void {
    const minuteAggs = this.minutes.drain()
    if (minuteAggs.length === 0) return
    for (const a of minuteAggs) this.hours.merge(a)
    this.counts.add('rollup_1m', this.minuteWriter.write(minuteAggs))
    this.counts.add('rollup_1h', this.hourWriter.write(this.hours.drain()))
  }
}
