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

  it('falls back to MAD, then std, when the quartiles coincide', () => {
    // Mostly 0 with a few 1s: IQR is 0; MAD is 0 too; the std is what is left.
    const col = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    const s = fitScaler(matrix(col), 1)
    expect(s.center[0]).toBe(0)
    expect(s.scale[0]).toBeCloseTo(0.3, 5)
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
