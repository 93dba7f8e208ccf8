import { describe, expect, it } from 'vitest'
import { seededRandom, gaussian } from '../../../../src/ingest/random'
import { fitScaler, inverse, transform } from '../../../../src/model/scaler'

/** Row-major rows × cols from columns. */
const matrix = (...columns: number[][]) => {
  const rows = columns[0]!.length
  const out = new Float32Array(rows * columns.length)
  columns.forEach((col, c) => col.forEach((v, r) => (out[r * columns.length + c] = v)))
  return out
}

describe('robust scaler', () => {
  it('centers on the median and scales by IQR / 1.349', () => {
    const col = [1, 2, 3, 4, 5, 6, 7, 8, 9] // median 5, quartiles 3 and 7
    const s = fitScaler(matrix(col), 1)
    expect(s.center[0]).toBeCloseTo(5)
    expect(s.scale[0]).toBeCloseTo(4 / 1.349)
  })

  it('never divides by zero: a constant sensor gets a usable scale', () => {
    const s = fitScaler(matrix([3, 3, 3, 3], [1, 2, 3, 4]), 2)
    expect(s.center[0]).toBe(3)
    expect(s.scale[0]).toBeGreaterThan(0)
    const scaled = transform(s, matrix([3, 3], [1, 2]))
    expect(Array.from(scaled).every(Number.isFinite)).toBe(true)
    expect(scaled[0]).toBe(0)
  })

  it('falls back to MAD, then std, when the quartiles and the winsorised spread are 0', () => {
    // Mostly 0 with one 1 in 40: IQR and MAD are 0, and winsorising at 5 % clips the 1 away;
    // the std is what is left.
    const col = Array.from({ length: 40 }, (_, i) => (i === 7 ? 1 : 0))
    const s = fitScaler(matrix(col), 1)
    expect(s.center[0]).toBe(0)
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(39) / 40, 5)
  })

  it('a stepped sensor gets a spread from its steps, not its near-zero IQR', () => {
    // Like a flow reading: exactly 32 most of the time, 33 (± a little) now and then.
    const normal = gaussian(seededRandom(2))
    const col = Array.from({ length: 400 }, (_, i) =>
      i % 8 === 0 ? 33 + 0.003 * normal() : i % 10 === 1 ? 32.004 : 32,
    )
    const s = fitScaler(matrix(col), 1)
    expect(s.center[0]).toBe(32)
    let mean = 0
    for (const v of col) mean += v / col.length
    const std = Math.sqrt(col.reduce((a, v) => a + (v - mean) ** 2, 0) / col.length)
    // IQR / 1.349 is about 0.003: a step of 1 would then be ~300 "standard deviations".
    const sorted = Float64Array.from(col).sort()
    expect((sorted[299]! - sorted[99]!) / 1.349).toBeLessThan(0.01)
    expect(s.scale[0]).toBeGreaterThan(0.4 * std)
    expect(s.scale[0]).toBeLessThanOrEqual(std)
  })

  it('the floor does not act on normal data: IQR / 1.349 wins', () => {
    const normal = gaussian(seededRandom(3))
    const col = Array.from({ length: 4000 }, () => 5 + 3 * normal())
    const s = fitScaler(matrix(col), 1)
    const sorted = Float64Array.from(col).sort()
    const iqr = (sorted[2999]! - sorted[999]!) / 1.349
    expect(s.scale[0]).toBeCloseTo(iqr, 1)
    expect(s.scale[0]).toBeCloseTo(3, 0)
  })

  it('ignores NaN when fitting and keeps NaN as NaN', () => {
    const s = fitScaler(matrix([1, NaN, 2, 3, NaN, 4, 5]), 1)
    expect(s.center[0]).toBeCloseTo(3)
    const out = transform(s, new Float32Array([NaN, 3]))
    expect(out[0]).toBeNaN()
    expect(out[1]).toBeCloseTo(0)
  })

  it('a sensor with no value at all gets the identity', () => {
    const s = fitScaler(matrix([NaN, NaN], [1, 2]), 2)
    expect(s).toMatchObject({ center: [0, 1.5], scale: [1, expect.any(Number)] })
  })

  it('barely moves when outliers are added', () => {
    const normal = gaussian(seededRandom(1))
    const clean = Array.from({ length: 2000 }, () => 10 + 2 * normal())
    const dirty = clean.map((v, i) => (i % 50 === 0 ? 1e4 : v)) // 2% wild values
    const a = fitScaler(matrix(clean), 1)
    const b = fitScaler(matrix(dirty), 1)
    expect(a.center[0]).toBeCloseTo(10, 0)
    expect(a.scale[0]).toBeCloseTo(2, 0)
    expect(Math.abs(b.center[0]! - a.center[0]!)).toBeLessThan(0.1)
    expect(Math.abs(b.scale[0]! / a.scale[0]! - 1)).toBeLessThan(0.05)
  })

  it('inverse undoes transform, per sensor, in place too', () => {
    const raw = matrix([1, 5, 9, 2], [100, 300, 200, 50])
    const s = fitScaler(raw, 2)
    const back = inverse(s, transform(s, raw))
    back.forEach((v, i) => expect(v).toBeCloseTo(raw[i]!, 3))
    const inPlace = raw.slice()
    transform(s, inPlace, inPlace)
    expect(inPlace).not.toEqual(raw)
    inverse(s, inPlace, inPlace)
    inPlace.forEach((v, i) => expect(v).toBeCloseTo(raw[i]!, 3))
    // The parameters are plain JSON.
    expect(JSON.parse(JSON.stringify(s))).toEqual(s)
  })
})
