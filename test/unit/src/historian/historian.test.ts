import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Sensor } from '../../../../src/contract'
import { DB_FILE_NAME, Historian } from '../../../../src/historian/historian'
import { SCHEMA_VERSION } from '../../../../src/historian/migrations'
import { seededRandom } from '../../../../src/ingest/random'
import { makeTempDir } from '../../../helpers/temp-dir'

const sensor = (id: string, periodMs = 1000): Sensor => ({
  id,
  name: id,
  localizedNames: {},
  unit: 'u',
  sourceId: 'test',
  normalMin: null,
  normalMax: null,
  periodMs,
  decimals: 2,
})

let tmp: ReturnType<typeof makeTempDir>
let h: Historian
beforeEach(() => {
  tmp = makeTempDir()
  h = new Historian(tmp.dir)
  h.registerSensors([sensor('a'), sensor('b')])
})
afterEach(() => {
  h.close()
  tmp.remove()
})

function writeSeries(id: string, t0: number, values: number[], stepMs = 1000): void {
  h.writeBatch({
    sensorIds: values.map(() => id),
    t: values.map((_, i) => t0 + i * stepMs),
    values,
  })
}

describe('Historian', () => {
  it('returns every sample in a range when they fit, in time order, per sensor', () => {
    writeSeries('a', 0, [1, 2, 3, 4, 5])
    writeSeries('b', 0, [10, 20])
    const r = h.querySeries({ sensorIds: ['a', 'b'], from: 1000, to: 4000, maxPoints: 100 })
    expect(r.series[0]).toEqual({
      sensorId: 'a',
      resolution: 'raw',
      bucketMs: 0,
      t: [1000, 2000, 3000],
      v: [2, 3, 4],
    })
    expect(r.series[1]?.v).toEqual([20])
  })

  it('drops non-finite values and samples of unknown sensors instead of storing them', () => {
    const n = h.writeBatch({
      sensorIds: ['a', 'a', 'zzz', 'a'],
      t: [0, 1000, 2000, 3000],
      values: [1, NaN, 3, Infinity],
    })
    expect(n).toBe(1)
    expect(
      h
        .querySeries({ sensorIds: ['a', 'zzz'], from: 0, to: 10_000, maxPoints: 10 })
        .series.map((s) => s.v),
    ).toEqual([[1], []])
  })

  it('keeps the true minimum and maximum of every bucket when it has to thin out', () => {
    const rand = seededRandom(42)
    const values = Array.from({ length: 5000 }, () => Math.round(rand() * 1000) / 10)
    writeSeries('a', 0, values)
    for (const [from, to, maxPoints] of [
      [0, 5_000_000, 100],
      [123_000, 4_321_000, 250],
      [0, 5_000_000, 2],
    ] as const) {
      const s = h.querySeries({ sensorIds: ['a'], from, to, maxPoints }).series[0]
      expect(s?.resolution).toBe('minmax')
      expect(s?.t.length).toBeLessThanOrEqual(maxPoints)
      const bucket = s?.bucketMs ?? 0
      for (let b = from; b < to; b += bucket) {
        const inBucket = values.filter(
          (_, i) => i * 1000 >= b && i * 1000 < Math.min(b + bucket, to),
        )
        if (inBucket.length === 0) continue
        const shown = (s?.v ?? []).filter(
          (_, i) => (s?.t[i] ?? -1) >= b && (s?.t[i] ?? -1) < b + bucket,
        )
        expect(shown).toContain(Math.min(...inBucket))
        expect(shown).toContain(Math.max(...inBucket))
      }
    }
  })

  it('shows a gap as a null, in raw and thinned results, never as a line across it', () => {
    writeSeries('a', 0, [1, 2, 3])
    writeSeries('a', 60_000, [4, 5, 6])
    const raw = h.querySeries({ sensorIds: ['a'], from: 0, to: 100_000, maxPoints: 100 }).series[0]
    expect(raw?.v).toEqual([1, 2, 3, null, 4, 5, 6])
    writeSeries(
      'a',
      0,
      Array.from({ length: 20 }, (_, i) => i),
    )
    writeSeries(
      'a',
      500_000,
      Array.from({ length: 20 }, (_, i) => i),
    )
    const thin = h.querySeries({ sensorIds: ['a'], from: 0, to: 520_000, maxPoints: 20 }).series[0]
    expect(thin?.resolution).toBe('minmax')
    const nullAt = thin?.v.indexOf(null) ?? -1
    expect(nullAt).toBeGreaterThan(0)
    expect(thin?.t[nullAt]).toBeGreaterThan(19_000)
    expect(thin?.t[nullAt]).toBeLessThan(500_000)
  })

  it('keeps history and sensor descriptions across a reopen', () => {
    writeSeries('a', 0, [7, 8, 9])
    h.close()
    h = new Historian(tmp.dir)
    expect(h.sensors().map((s) => s.id)).toEqual(['a', 'b'])
    expect(
      h.querySeries({ sensorIds: ['a'], from: 0, to: 10_000, maxPoints: 10 }).series[0]?.v,
    ).toEqual([7, 8, 9])
  })

  it('refuses a database written by a newer Vigil, with a message that says so', () => {
    h.close()
    const db = new Database(join(tmp.dir, DB_FILE_NAME))
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    db.close()
    expect(() => new Historian(tmp.dir)).toThrow(/newer version of Vigil/)
  })
})

describe('Historian thinning', () => {
  it('gives each bucket its extremes in the order they happened, so a fall still draws as a fall', () => {
    // 100 s falling from 100 to 1, then 100 s rising from 1 to 100.
    writeSeries('a', 0, [
      ...Array.from({ length: 100 }, (_, i) => 100 - i),
      ...Array.from({ length: 100 }, (_, i) => i + 1),
    ])
    const s = h.querySeries({ sensorIds: ['a'], from: 0, to: 200_000, maxPoints: 4 }).series[0]
    expect(s?.resolution).toBe('minmax')
    expect(s?.v).toEqual([100, 1, 1, 100])
  })
})
