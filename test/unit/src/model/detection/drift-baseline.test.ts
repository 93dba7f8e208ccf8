import { describe, expect, it } from 'vitest'
import {
  BASELINE_QUANTILE,
  DriftBaseline,
  type DriftBaselineOptions,
} from '../../../../../src/model/detection/drift-baseline'
import { seededRandom } from '../../../../../src/ingest/random'

const options = (o: Partial<DriftBaselineOptions> = {}): DriftBaselineOptions => ({
  reference: [1, 1],
  bucketRows: 1,
  windowBuckets: 100,
  maxRise: 4,
  ...o,
})

describe('drift baseline (adapted score)', () => {
  it('equals the raw score while nothing has drifted', () => {
    const b = new DriftBaseline(options({ reference: [1, 2] }))
    for (let i = 0; i < 300; i++) {
      const row = b.push([0.5 + (i % 3) * 0.1, 1.5])
      expect(row.adapted).toBeCloseTo(row.raw, 12)
    }
    expect(b.rise()).toEqual([1, 1])
  })

  it('follows one sensor that drifts slowly and keeps the others as sensitive as before', () => {
    const b = new DriftBaseline(options({ maxRise: 100 }))
    let last = { raw: 0, adapted: 0 }
    // Sensor 0's error climbs from 1 to 20 over 1,000 rows: slow against a 100-row window.
    for (let i = 0; i < 1000; i++) last = b.push([1 + (19 * i) / 999, 1])
    expect(last.raw).toBeGreaterThan(10)
    expect(last.adapted).toBeLessThan(0.15 * last.raw)
    expect(b.rise()[0]).toBeGreaterThan(15)
    expect(b.rise()[1]).toBe(1)
    // A jump of sensor 1 counts in full: its part of the adapted score is not damped.
    const jump = b.push([20, 9])
    expect(jump.adapted - last.adapted).toBeCloseTo((9 - 1) / 2, 1)
  })

  it('does not follow an abrupt step before it fills 70 % of the window', () => {
    const b = new DriftBaseline(options({ maxRise: 100 }))
    const adapted: number[] = []
    for (let i = 0; i < 100; i++) adapted.push(b.push([1, 1]).adapted)
    for (let i = 0; i < 200; i++) adapted.push(b.push([10, 1]).adapted)
    const firstFollowed = adapted.findIndex((a, i) => i >= 100 && a < 5.5 - 1e-9)
    // 70 of the last 100 buckets above the old level move the 30th percentile.
    expect(firstFollowed - 100).toBe(Math.ceil((1 - BASELINE_QUANTILE) * 99) + 1)
    expect(adapted.at(-1)).toBeCloseTo(1, 9)
  })

  it('never lets the adapted score fall below raw / maxRise: a strong fault stays', () => {
    const b = new DriftBaseline(options({ maxRise: 4 }))
    let row = { raw: 0, adapted: 0 }
    for (let i = 0; i < 5000; i++) row = b.push([40, 40])
    expect(row.raw).toBe(40)
    expect(row.adapted).toBeCloseTo(10, 9)
  })

  it('updates its baseline once per bucket, from the bucket mean', () => {
    const b = new DriftBaseline(options({ bucketRows: 10, windowBuckets: 1, reference: [1] }))
    for (let i = 0; i < 9; i++) b.push([3])
    expect(b.rise()).toEqual([1])
    b.push([3])
    expect(b.rise()).toEqual([3])
    for (let i = 0; i < 10; i++) b.push([i < 5 ? 2 : 6])
    expect(b.rise()).toEqual([4])
  })

  it('gives NaN for a row with a missing error and leaves the baseline as it was', () => {
    const b = new DriftBaseline(options({ windowBuckets: 1 }))
    b.push([5, 5])
    const row = b.push([NaN, 5])
    expect(row.raw).toBeNaN()
    expect(row.adapted).toBeNaN()
    expect(b.rise()).toEqual([5, 5])
  })

  it('reports each sensor’s share of the adapted score', () => {
    const b = new DriftBaseline(options({ reference: [1, 1, 2] }))
    const shares = new Float64Array(3)
    b.push([1, 3, 4], shares)
    expect([...shares].map((s) => Number(s.toFixed(6)))).toEqual([0.125, 0.375, 0.5])
  })

  it('keeps the exact 30th percentile of its window (against sorting every time)', () => {
    const random = seededRandom(7)
    const size = 37
    const b = new DriftBaseline(options({ reference: [1e-3], windowBuckets: size }))
    const history: number[] = new Array<number>(size).fill(1e-3)
    for (let i = 0; i < 2000; i++) {
      // Repeated values and wide swings, the hard cases for insert and evict.
      const x = random() < 0.2 ? 0.5 : Math.round(random() * 50) / 10
      b.push([x])
      history.push(x)
      const window = history.slice(-size).sort((p, q) => p - q)
      const expected = Math.max(1e-3, window[Math.floor(BASELINE_QUANTILE * (size - 1))]!)
      expect(b.rise()[0]! * 1e-3).toBeCloseTo(expected, 12)
    }
  })

  it('refuses settings that cannot work', () => {
    expect(() => new DriftBaseline(options({ bucketRows: 0 }))).toThrow(/bucketRows/)
    expect(() => new DriftBaseline(options({ windowBuckets: 1.5 }))).toThrow(/windowBuckets/)
    expect(() => new DriftBaseline(options({ maxRise: 0.5 }))).toThrow(/maxRise/)
  })
})
