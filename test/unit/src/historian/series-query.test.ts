import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Series } from '../../../../src/contract'
import { Historian } from '../../../../src/historian/historian'
import { pickLevel } from '../../../../src/historian/series-query'
import { seededRandom } from '../../../../src/ingest/random'
import { testSensor } from '../../../helpers/historian-fixtures'
import { makeTempDir } from '../../../helpers/temp-dir'

const T0 = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000
const PERIOD = 10_000
const DAYS = 2
const GAP = { from: T0 + 20 * HOUR + 123_000, to: T0 + 23 * HOUR + 456_000 } // the source was down

let tmp: ReturnType<typeof makeTempDir>
let h: Historian
const truth: { t: number; v: number }[] = []

beforeAll(() => {
  tmp = makeTempDir()
  h = new Historian(tmp.dir, { now: () => T0 + (DAYS + 1) * 24 * HOUR })
  h.registerSensors([testSensor('s', PERIOD)])
  const rand = seededRandom(3)
  let v = 50
  for (let t = T0; t < T0 + DAYS * 24 * HOUR; t += PERIOD) {
    if (t >= GAP.from && t < GAP.to) continue
    v += (rand() - 0.5) * 4 + (rand() < 0.002 ? (rand() - 0.5) * 200 : 0) // a walk with rare spikes
    truth.push({ t: t + Math.floor(rand() * 1000), v: Math.round(v * 1000) / 1000 })
  }
  h.bulkInsert([
    { sensorIds: truth.map(() => 's'), t: truth.map((x) => x.t), values: truth.map((x) => x.v) },
  ])
})
afterAll(() => {
  h.close()
  tmp.remove()
})

/** The buckets a thinned series shows: start time and the values drawn for it. */
function bucketsOf(s: Series): { start: number; values: number[] }[] {
  const out: { start: number; values: number[] }[] = []
  for (let i = 0; i < s.t.length; i++) {
    const v = s.v[i]
    if (v === null || v === undefined) continue
    const start = (s.t[i] ?? 0) - (((s.t[i] ?? 0) - (out[0]?.start ?? s.t[i] ?? 0)) % s.bucketMs)
    const last = out[out.length - 1]
    if (last && last.start === start) last.values.push(v)
    else out.push({ start, values: [v] })
  }
  return out
}

describe('querySeries over raw samples and rollups', () => {
  it('for random ranges and point budgets, every bucket shows its true min and max, and gaps stay gaps', () => {
    const rand = seededRandom(11)
    for (let round = 0; round < 60; round++) {
      const from = T0 - HOUR + Math.floor(rand() * (DAYS * 24 + 1) * HOUR)
      // An hour-aligned end: the stored 1-minute and 1-hour buckets then end exactly there.
      const to = Math.ceil((from + 60_000 + rand() * 30 * HOUR) / HOUR) * HOUR
      const maxPoints = 4 + Math.floor(rand() * 1500)
      const s = h.querySeries({ sensorIds: ['s'], from, to, maxPoints }).series[0]
      if (!s) throw new Error('no series')
      expect(s.t.length, `round ${round}`).toBeLessThanOrEqual(
        maxPoints + (s.resolution === 'raw' ? maxPoints : 0),
      )
      const inRange = truth.filter((x) => x.t >= from && x.t < to)
      if (s.resolution === 'raw') {
        expect(s.v.filter((v) => v !== null)).toEqual(inRange.map((x) => x.v))
        continue
      }
      expect(s.t.length).toBeLessThanOrEqual(maxPoints + 1) // + one gap marker at most per gap
      const buckets = bucketsOf(s)
      for (const b of buckets) {
        const inBucket = truth
          .filter((x) => x.t >= b.start && x.t < b.start + s.bucketMs && x.t < to)
          .map((x) => x.v)
        expect(inBucket.length, `round ${round} bucket ${b.start}`).toBeGreaterThan(0)
        expect(b.values).toContain(Math.min(...inBucket))
        expect(b.values).toContain(Math.max(...inBucket))
      }
      // Between two drawn buckets with an empty bucket between them there is a null.
      for (let i = 1; i < buckets.length; i++) {
        const [a, b] = [buckets[i - 1], buckets[i]]
        if (!a || !b || b.start - a.start <= s.bucketMs) continue
        const between = s.t
          .map((t, k) => ({ t, v: s.v[k] }))
          .filter((p) => p.t > a.start && p.t < b.start)
        expect(
          between.some((p) => p.v === null),
          `round ${round}: gap before ${b.start}`,
        ).toBe(true)
      }
    }
  })

  it('a 1-year query and a 1-minute query both answer from the right resolution', () => {
    const year = h.querySeries({
      sensorIds: ['s'],
      from: T0 - 300 * 24 * HOUR,
      to: T0 + 65 * 24 * HOUR,
      maxPoints: 1000,
    })
    expect(year.series[0]?.resolution).toBe('minmax')
    expect(year.series[0]?.bucketMs).toBeGreaterThanOrEqual(HOUR)
    const minute = h.querySeries({
      sensorIds: ['s'],
      from: T0 + HOUR,
      to: T0 + HOUR + 60_000,
      maxPoints: 1000,
    })
    expect(minute.series[0]?.resolution).toBe('raw')
    expect(minute.series[0]?.t.length).toBe(6)
  })
})

describe('pickLevel', () => {
  const all = { raw: null, '1m': null, '1h': null }
  it('takes the coarsest resolution no wider than a chart bucket', () => {
    expect(pickLevel(30_000, 0, all)).toBe('raw')
    expect(pickLevel(60_000, 0, all)).toBe('1m')
    expect(pickLevel(59 * 60_000, 0, all)).toBe('1m')
    expect(pickLevel(HOUR, 0, all)).toBe('1h')
  })

  it('moves to a coarser resolution where retention already removed the finer one', () => {
    const horizons = { raw: 10 * HOUR, '1m': 5 * HOUR, '1h': null }
    expect(pickLevel(1000, 11 * HOUR, horizons)).toBe('raw')
    expect(pickLevel(1000, 9 * HOUR, horizons)).toBe('1m')
    expect(pickLevel(1000, HOUR, horizons)).toBe('1h')
  })
})
