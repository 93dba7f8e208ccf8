import { statSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../src/contract'
import { Historian } from '../../src/historian/historian'
import { testSensor } from '../helpers/historian-fixtures'
import { makeTempDir } from '../helpers/temp-dir'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const T0 = Date.UTC(2026, 0, 1)
const SENSORS = Array.from({ length: 8 }, (_, i) => `r.s${i}`)
const CAP_MB = 16

const tmp = makeTempDir()
let now = T0
const h = new Historian(tmp.dir, { now: () => now })
afterAll(() => {
  h.close()
  tmp.remove()
})

/** One hour of 8 sensors at 1 Hz, starting at `start`. */
function hourOfData(start: number): SampleBatch {
  const b: SampleBatch = { sensorIds: [], t: [], values: [] }
  for (let s = 0; s < 3600; s++) {
    for (const [i, id] of SENSORS.entries()) {
      b.sensorIds.push(id)
      b.t.push(start + s * 1000)
      b.values.push(Math.sin((start + s * 1000) / 600_000 + i) * 10 + (s % 7))
    }
  }
  return b
}

const fileBytes = () =>
  ['', '-wal'].reduce((n, suffix) => {
    try {
      return n + statSync(h.file + suffix).size
    } catch {
      return n
    }
  }, 0)

describe('retention and the size cap over an accelerated run', () => {
  it('keep the file under its cap while days of data stream in, deleting the oldest raw samples first', async () => {
    h.registerSensors(SENSORS.map((id) => testSensor(id)))
    h.setSettings({
      rawRetentionDays: 30,
      minuteRetentionDays: 365,
      hourRetentionDays: null,
      maxSizeMb: CAP_MB,
    })
    const sizes: number[] = []
    for (let hour = 0; hour < 3 * 24; hour++) {
      h.writeBatch(hourOfData(T0 + hour * HOUR))
      now = T0 + (hour + 1) * HOUR
      if ((hour + 1) % 6 === 0) {
        const report = await h.maintain()
        sizes.push(fileBytes())
        expect(
          fileBytes(),
          `after hour ${hour + 1}: ${JSON.stringify(report)}`,
        ).toBeLessThanOrEqual(CAP_MB * 1024 * 1024)
      }
    }
    // 2 million samples were written, far more than 16 MB holds: the cap had work to do.
    const raw = h.info().levels.find((l) => l.level === 'raw')
    expect(raw?.rows).toBeLessThan(3 * 24 * 3600 * SENSORS.length)
    expect(raw?.oldest).toBeGreaterThan(T0)
    expect(h.info().lastMaintenance?.reasons).toContain('size-cap')
    // The rollups of the whole run are all there, so old ranges still chart.
    const hours = h.info().levels.find((l) => l.level === '1h')
    expect(hours?.rows).toBe(3 * 24 * SENSORS.length)
    const old = h.querySeries({
      sensorIds: [SENSORS[0] ?? ''],
      from: T0,
      to: T0 + 6 * HOUR,
      maxPoints: 200,
    }).series[0]
    expect(old?.resolution).toBe('minmax')
    expect(old?.v.filter((v) => v !== null).length).toBeGreaterThan(100)
    expect(Math.max(...sizes)).toBeGreaterThan(CAP_MB * 1024 * 1024 * 0.5)
  }, 120_000)

  it('drops each resolution past its retention, and nothing younger', async () => {
    h.setSettings({
      rawRetentionDays: 1,
      minuteRetentionDays: 2,
      hourRetentionDays: null,
      maxSizeMb: null,
    })
    const report = await h.maintain()
    expect(report.reasons).toContain('retention')
    const levels = Object.fromEntries(h.info().levels.map((l) => [l.level, l]))
    expect(levels.raw?.oldest).toBeGreaterThanOrEqual(now - DAY)
    expect(levels['1m']?.oldest).toBeGreaterThanOrEqual(now - 2 * DAY)
    expect(levels['1m']?.oldest).toBeLessThan(now - 2 * DAY + 60_000 + 1)
    expect(levels['1h']?.oldest).toBe(T0)
    expect(levels['1m']?.rows).toBe(2 * 24 * 60 * SENSORS.length)
    expect(h.info().lastMaintenance).toEqual(report)
  })
})
