import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { SampleBatch } from '../src/contract'
import { Historian } from '../src/historian/historian'
import { testSensor } from '../test/helpers/historian-fixtures'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const SENSORS = 16
const SECONDS = 6 * 3600 // six hours of 16 sensors at 1 Hz: 345,600 samples
/** What the sample batcher hands over at high rates: it flushes every 10,000 samples. */
const BATCH = 10_000
const T0 = Date.UTC(2026, 0, 1)

/** Samples in time order, 16 sensors per second, cut into batches as the batcher cuts them. */
export function* sampleBatches(
  sensors: number,
  seconds: number,
  t0: number,
  batch = BATCH,
): Generator<SampleBatch> {
  let b: SampleBatch = { sensorIds: [], t: [], values: [] }
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < sensors; i++) {
      b.sensorIds.push(`bench.s${i}`)
      b.t.push(t0 + s * 1000)
      b.values.push(Math.sin(s / 60 + i) * 10 + i + (s % 13) / 10)
      if (b.t.length === batch) {
        yield b
        b = { sensorIds: [], t: [], values: [] }
      }
    }
  }
  if (b.t.length) yield b
}

export const benchSensors = (n: number) =>
  Array.from({ length: n }, (_, i) => testSensor(`bench.s${i}`))

/** The same rows through a bare better-sqlite3 batched insert, same table and pragmas: the 1.0. */
function rawRate(dir: string, all: SampleBatch[]): number {
  const db = new Database(join(dir, 'raw.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(
    'CREATE TABLE samples (sensor INTEGER NOT NULL, t INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (sensor, t)) WITHOUT ROWID',
  )
  const insert = db.prepare('INSERT INTO samples (sensor, t, value) VALUES (?, ?, ?)')
  const keys = new Map(Array.from({ length: SENSORS }, (_, i) => [`bench.s${i}`, i + 1]))
  const start = performance.now()
  let n = 0
  for (const b of all) {
    db.transaction(() => {
      for (let i = 0; i < b.t.length; i++)
        insert.run(keys.get(b.sensorIds[i] ?? ''), b.t[i], b.values[i])
    })()
    n += b.t.length
  }
  const rate = n / ((performance.now() - start) / 1000)
  db.close()
  return rate
}

/** Our write path, rollups included: samples per second and the file size per sample. */
function historianRate(dir: string, all: SampleBatch[]): { rate: number; bytes: number } {
  const h = new Historian(dir, { now: () => T0 + SECONDS * 1000 })
  h.registerSensors(benchSensors(SENSORS))
  const start = performance.now()
  for (const b of all) h.writeBatch(b)
  const rate = all.reduce((n, b) => n + b.t.length, 0) / ((performance.now() - start) / 1000)
  h.close()
  return { rate, bytes: statSync(h.file).size }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

/**
 * Sustained ingest with rollups against a bare insert of the same rows. The two alternate over
 * several rounds and the medians are compared, so a busy moment on the machine does not land
 * on one side only.
 */
export async function benchHistorianIngest(context: Record<string, unknown>): Promise<void> {
  const ROUNDS = 5
  const all = [...sampleBatches(SENSORS, SECONDS, T0)]
  const total = all.reduce((n, b) => n + b.t.length, 0)
  const ours: number[] = []
  const raws: number[] = []
  const ratios: number[] = []
  let bytes = 0
  for (let round = 0; round < ROUNDS; round++) {
    const tmp = makeTempDir('vigil-bench-')
    try {
      const r = historianRate(join(tmp.dir, 'vigil'), all)
      const raw = rawRate(tmp.dir, all)
      ours.push(r.rate)
      raws.push(raw)
      ratios.push(r.rate / raw)
      bytes = r.bytes
    } finally {
      tmp.remove()
    }
  }
  const ctx = {
    ...context,
    samples: total,
    sensors: SENSORS,
    batch: BATCH,
    rollups: ['1m', '1h'],
    sync: 'FULL',
    rounds: ROUNDS,
    stat: 'median',
  }
  report('historian.ingest.samples_per_s', median(ours), 'samples/s', ctx)
  report('historian.ingest.ratio_vs_raw', median(ratios), 'ratio', {
    ...ctx,
    rawSamplesPerS: Math.round(median(raws)),
    ratios: ratios.map((x) => Number(x.toFixed(2))),
  })
  report('historian.bytes_per_sample', bytes / total, 'bytes', { ...ctx, note: 'rollups included' })
}
