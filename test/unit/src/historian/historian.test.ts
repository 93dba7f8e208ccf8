import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB_FILE_NAME, Historian } from '../../../../src/historian/historian'
import { SCHEMA_VERSION } from '../../../../src/historian/migrations'
import { testSensor } from '../../../helpers/historian-fixtures'
import { makeTempDir } from '../../../helpers/temp-dir'

/** The tests' data sits in the first days of 1970; "now" is close enough for raw retention. */
const NOW = 1_000_000_000

let tmp: ReturnType<typeof makeTempDir>
let h: Historian
beforeEach(() => {
  tmp = makeTempDir()
  h = new Historian(tmp.dir, { now: () => NOW })
  h.registerSensors([testSensor('a'), testSensor('b')])
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
    h = new Historian(tmp.dir, { now: () => NOW })
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
    expect(() => new Historian(tmp.dir, { now: () => NOW })).toThrow(/newer version of Vigil/)
  })
})

describe('Historian thinning', () => {
  it('gives each bucket its extremes in the order they happened, so a fall still draws as a fall', () => {
    // 2 minutes falling from 120 to 1, then 2 minutes rising from 1 to 120.
    const fall = Array.from({ length: 120 }, (_, i) => 120 - i)
    writeSeries('a', 0, [...fall, ...fall.slice().reverse()])
    const s = h.querySeries({ sensorIds: ['a'], from: 0, to: 240_000, maxPoints: 4 }).series[0]
    expect(s?.resolution).toBe('minmax')
    expect(s?.bucketMs).toBe(120_000)
    expect(s?.v).toEqual([120, 1, 1, 120])
  })
})

describe('Historian hooks for imports, exports and durable records', () => {
  it('streams a range sensor by sensor in time order, without loading it all', () => {
    writeSeries('a', 0, [1, 2, 3, 4])
    writeSeries('b', 500, [9, 8])
    const it = h.readRange(['b', 'a', 'unknown'], 1000, 4000)
    expect(it.next().value).toEqual({ sensorId: 'b', t: 1500, value: 8 })
    expect([...it]).toEqual([
      { sensorId: 'a', t: 1000, value: 2 },
      { sensorId: 'a', t: 2000, value: 3 },
      { sensorId: 'a', t: 3000, value: 4 },
    ])
  })

  it('bulk import keeps the first value of a repeated sample and counts what it stored', () => {
    writeSeries('a', 0, [1, 2])
    const n = h.bulkInsert([
      { sensorIds: ['a', 'a', 'a'], t: [1000, 2000, 3000], values: [20, 30, 40] },
      { sensorIds: ['b'], t: [0], values: [5] },
    ])
    expect(n).toBe(3)
    expect(
      h.querySeries({ sensorIds: ['a'], from: 0, to: 10_000, maxPoints: 10 }).series[0]?.v,
    ).toEqual([1, 2, 30, 40])
  })

  it('a durable write either commits whole or not at all', () => {
    expect(() =>
      h.durable((db) => {
        db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run()
        throw new Error('half-way failure')
      }),
    ).toThrow('half-way failure')
    const seen = h.durable((db) =>
      db.prepare("SELECT COUNT(*) AS n FROM settings WHERE key = 'x'").get(),
    )
    expect(seen).toEqual({ n: 0 })
  })
})
