import { statSync } from 'node:fs'
import { Historian } from '../src/historian/historian'
import { makeTempDir } from '../test/helpers/temp-dir'
import { benchSensors, sampleBatches } from './historian-ingest'
import { report } from './report'

const SENSORS = 16
const DAYS = 30
const T0 = Date.UTC(2026, 0, 1)
const DAY = 86_400_000

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? NaN
}

/**
 * 30 days of 16 sensors at 1 Hz (41.5 million samples) stored through the import path, then the
 * chart queries an operator makes on it: 30 days, 24 hours and 1 hour, 1,000 points per sensor.
 */
export async function benchHistorianQuery30d(context: Record<string, unknown>): Promise<void> {
  const tmp = makeTempDir('vigil-bench-30d-')
  const end = T0 + DAYS * DAY
  try {
    let h = new Historian(tmp.dir, { now: () => end })
    h.registerSensors(benchSensors(SENSORS))
    const started = performance.now()
    const stored = h.bulkInsert(sampleBatches(SENSORS, DAYS * 86_400, T0, 100_000))
    const importS = (performance.now() - started) / 1000
    h.close()
    const bytes = statSync(h.file).size
    const ctx = {
      ...context,
      samples: stored,
      sensors: SENSORS,
      days: DAYS,
      fileMb: Math.round(bytes / 1e6),
    }
    report('historian.import.samples_per_s', stored / importS, 'samples/s', ctx)
    report('historian.bytes_per_sample_30d', bytes / stored, 'bytes', {
      ...ctx,
      note: 'rollups included',
    })

    const openStart = performance.now()
    h = new Historian(tmp.dir, { now: () => end })
    report('historian.open.ms', performance.now() - openStart, 'ms', {
      ...ctx,
      integrityCheck: 'background',
    })
    const checkStart = performance.now()
    const integrity = await h.integrityChecked
    report('historian.integrity_check_background.ms', performance.now() - checkStart, 'ms', {
      ...ctx,
      result: integrity.state,
      note: 'in a worker thread while the app runs',
    })

    const sensorIds = benchSensors(SENSORS).map((s) => s.id)
    for (const [name, span] of [
      ['historian.query_30d.ms', DAYS * DAY],
      ['historian.query_24h.ms', DAY],
      ['historian.query_1h.ms', DAY / 24],
    ] as const) {
      const times: number[] = []
      let points = 0
      for (let i = 0; i < 9; i++) {
        const to = end - i * 3_600_000
        const q0 = performance.now()
        const r = h.querySeries({ sensorIds, from: to - span, to, maxPoints: 1000 })
        times.push(performance.now() - q0)
        points = r.series.reduce((n, s) => n + s.t.length, 0)
      }
      report(name, median(times), 'ms', {
        ...ctx,
        points,
        maxPointsPerSensor: 1000,
        runs: times.length,
        stat: 'median',
      })
    }
    h.close()
  } finally {
    tmp.remove()
  }
}
