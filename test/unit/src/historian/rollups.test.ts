import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../../../src/contract'
import { Historian } from '../../../../src/historian/historian'
import { seededRandom } from '../../../../src/ingest/random'
import { testSensor } from '../../../helpers/historian-fixtures'
import { makeTempDir } from '../../../helpers/temp-dir'

const T0 = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000
const NOW = T0 + 3 * 24 * HOUR

interface Agg {
  n: number
  sum: number
  min: number
  t_min: number
  max: number
  t_max: number
  last: number
  t_last: number
}

/** What each bucket should hold, computed the slow obvious way from the samples kept. */
function bruteForce(stored: Map<string, number>, bucketMs: number): Map<string, Agg> {
  const out = new Map<string, Agg>()
  const rows = [...stored.entries()].map(([k, v]) => {
    const [s, t] = k.split('@')
    return { s: s ?? '', t: Number(t), v }
  })
  rows.sort((a, b) => a.t - b.t)
  for (const r of rows) {
    const key = `${r.s}@${r.t - (r.t % bucketMs)}`
    const a = out.get(key)
    if (!a) {
      out.set(key, {
        n: 1,
        sum: r.v,
        min: r.v,
        t_min: r.t,
        max: r.v,
        t_max: r.t,
        last: r.v,
        t_last: r.t,
      })
      continue
    }
    a.n++
    a.sum += r.v
    if (r.v < a.min) Object.assign(a, { min: r.v, t_min: r.t })
    if (r.v > a.max) Object.assign(a, { max: r.v, t_max: r.t })
    Object.assign(a, { last: r.v, t_last: r.t })
  }
  return out
}

let tmp: ReturnType<typeof makeTempDir>
let h: Historian
beforeEach(() => {
  tmp = makeTempDir()
  h = new Historian(tmp.dir, { now: () => NOW })
  h.registerSensors(['a', 'b', 'c'].map((id) => testSensor(id, 10_000)))
})
afterEach(() => {
  h.close()
  tmp.remove()
})

function readRollups(table: string): Map<string, Agg> {
  const db = new Database(h.file, { readonly: true })
  const keys = new Map(
    db
      .prepare<[], { id: number; key: string }>('SELECT id, key FROM sensors')
      .all()
      .map((r) => [r.id, r.key]),
  )
  const rows = db
    .prepare<[], Agg & { sensor: number; bucket: number }>(`SELECT * FROM ${table}`)
    .all()
  db.close()
  return new Map(rows.map((r) => [`${keys.get(r.sensor)}@${r.bucket}`, r]))
}

function expectSameRollups(actual: Map<string, Agg>, expected: Map<string, Agg>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort())
  for (const [k, e] of expected) {
    const a = actual.get(k)
    expect(a?.n, k).toBe(e.n)
    expect(a?.sum ?? NaN, k).toBeCloseTo(e.sum, 6)
    expect([a?.min, a?.t_min, a?.max, a?.t_max, a?.last, a?.t_last], k).toEqual([
      e.min,
      e.t_min,
      e.max,
      e.t_max,
      e.last,
      e.t_last,
    ])
  }
}

describe('rollups', () => {
  it('match a brute-force aggregation of what was stored, with late, out-of-order and repeated samples', () => {
    const rand = seededRandom(7)
    const stored = new Map<string, number>()
    const pending: { s: string; t: number; v: number }[] = []
    for (const s of ['a', 'b', 'c']) {
      for (let i = 0; i < 3000; i++) {
        // Irregular times over ~8 hours, with repeats of the same millisecond now and then.
        const t = T0 + Math.floor(rand() * 8 * HOUR)
        pending.push({ s, t, v: Math.round(rand() * 2000) / 10 - 50 })
      }
    }
    // Mostly in time order, then a late block of old samples, written in random-size batches.
    pending.sort((x, y) => x.t - y.t)
    const late = pending.splice(1000, 800)
    for (let i = 97; i < pending.length; i += 97) {
      const [x, y] = [pending[i - 1], pending[i]]
      if (x && y) [pending[i - 1], pending[i]] = [y, x]
    }
    const all = [...pending, ...late]
    for (let i = 0; i < all.length;) {
      const size = 1 + Math.floor(rand() * 400)
      const chunk = all.slice(i, i + size)
      const batch: SampleBatch = {
        sensorIds: chunk.map((c) => c.s),
        t: chunk.map((c) => c.t),
        values: chunk.map((c) => c.v),
      }
      h.writeBatch(batch)
      for (const c of chunk) if (!stored.has(`${c.s}@${c.t}`)) stored.set(`${c.s}@${c.t}`, c.v)
      i += size
    }
    expect(h.info().levels.find((l) => l.level === 'raw')?.rows).toBe(stored.size)
    expectSameRollups(readRollups('rollup_1m'), bruteForce(stored, 60_000))
    expectSameRollups(readRollups('rollup_1h'), bruteForce(stored, HOUR))
    expect(h.info().levels.find((l) => l.level === '1m')?.rows).toBe(
      bruteForce(stored, 60_000).size,
    )

    // A rebuild from the raw samples gives the same rollups.
    h.rebuildRollups()
    expectSameRollups(readRollups('rollup_1m'), bruteForce(stored, 60_000))
    expectSameRollups(readRollups('rollup_1h'), bruteForce(stored, HOUR))
  })
})
