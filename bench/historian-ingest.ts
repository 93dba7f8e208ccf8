import Database from 'better-sqlite3'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { SampleBatch, Sensor } from '../src/contract'
import { Historian } from '../src/historian/historian'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const SENSORS = 16
const SECONDS = 6 * 3600 // six hours of 16 sensors at 1 Hz
const BATCH_SECONDS = 250 // one batch holds 16 x 250 samples
const T0 = Date.UTC(2026, 0, 1)

function sensor(i: number): Sensor {
  return {
    id: `bench.s${i}`,
    name: `s${i}`,
    localizedNames: {},
    unit: '',
    sourceId: 'bench',
    normalMin: null,
    normalMax: null,
    periodMs: 1000,
    decimals: 3,
  }
}

function* batches(): Generator<SampleBatch> {
  for (let s0 = 0; s0 < SECONDS; s0 += BATCH_SECONDS) {
    const b: SampleBatch = { sensorIds: [], t: [], values: [] }
    for (let s = s0; s < Math.min(SECONDS, s0 + BATCH_SECONDS); s++) {
      for (let i = 0; i < SENSORS; i++) {
        b.sensorIds.push(`bench.s${i}`)
        b.t.push(T0 + s * 1000)
        b.values.push(Math.sin(s / 60 + i) * 10 + i)
      }
    }
    yield b
  }
}

/** The same rows through a bare better-sqlite3 batched insert into the same table: the 1.0. */
function rawRate(dir: string, all: SampleBatch[]): number {
  const db = new Database(join(dir, 'raw.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
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
        insert.run(keys.get(b.sensorIds[i] as string), b.t[i], b.values[i])
    })()
    n += b.t.length
  }
  const rate = n / ((performance.now() - start) / 1000)
  db.close()
  return rate
}

export async function benchHistorianIngest(context: Record<string, unknown>): Promise<void> {
  const tmp = makeTempDir('vigil-bench-')
  try {
    const all = [...batches()]
    const total = all.reduce((n, b) => n + b.t.length, 0)
    const h = new Historian(join(tmp.dir, 'vigil'))
    h.registerSensors(Array.from({ length: SENSORS }, (_, i) => sensor(i)))
    const start = performance.now()
    for (const b of all) h.writeBatch(b)
    const rate = total / ((performance.now() - start) / 1000)
    const qStart = performance.now()
    const q = h.querySeries({
      sensorIds: all[0]?.sensorIds.slice(0, SENSORS) ?? [],
      from: T0,
      to: T0 + SECONDS * 1000,
      maxPoints: 1000,
    })
    const queryMs = performance.now() - qStart
    h.close()
    const bytes = statSync(h.file).size
    const raw = rawRate(tmp.dir, all)
    const ctx = { ...context, samples: total, sensors: SENSORS, batch: SENSORS * BATCH_SECONDS }
    report('historian.ingest.samples_per_s', rate, 'samples/s', ctx)
    report('historian.ingest.ratio_vs_raw', rate / raw, 'ratio', {
      ...ctx,
      rawSamplesPerS: Math.round(raw),
    })
    report('historian.bytes_per_sample', bytes / total, 'bytes', ctx)
    report('historian.query_6h.ms', queryMs, 'ms', {
      ...ctx,
      points: q.series.reduce((n, s) => n + s.t.length, 0),
    })
  } finally {
    tmp.remove()
  }
}
