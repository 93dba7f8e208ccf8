import { describe, expect, it } from 'vitest'
import { extractWindows, fillGaps, type Matrix } from '../../../../src/model/windows'

/** rows × 2: column 0 is the row index, column 1 is 10 × the row index. */
const ramp = (rows: number): Matrix => {
  const values = new Float32Array(rows * 2)
  for (let r = 0; r < rows; r++) {
    values[2 * r] = r
    values[2 * r + 1] = 10 * r
  }
  return { rows, cols: 2, values }
}

describe('extractWindows', () => {
  it('cuts windows every stride rows, packed [N, W, S], with the last row of each', () => {
    const w = extractWindows(ramp(10), 4, 3)
    expect(w.count).toBe(3) // starts 0, 3, 6
    expect(Array.from(w.ends)).toEqual([3, 6, 9])
    expect(w.values).toHaveLength(3 * 4 * 2)
    // Window 1 holds rows 3..6.
    expect(Array.from(w.values.subarray(8, 16))).toEqual([3, 30, 4, 40, 5, 50, 6, 60])
  })

  it('stride 1 gives every window', () => {
    expect(extractWindows(ramp(10), 4, 1).count).toBe(7)
  })

  it('skips windows with a missing value and restarts right after it', () => {
    const m = ramp(20)
    m.values[2 * 5 + 1] = NaN // row 5, sensor 1
    const w = extractWindows(m, 4, 2)
    expect(Array.from(w.values).some(Number.isNaN)).toBe(false)
    // Starts 0 (rows 0-3), then 2 is spoiled by row 5, so the grid restarts at 6.
    expect(Array.from(w.ends)).toEqual([3, 9, 11, 13, 15, 17, 19])
    for (const end of w.ends) expect(end - 3 > 5 || end < 5).toBe(true)
  })

  it('gives no windows when the data is shorter than one', () => {
    const w = extractWindows(ramp(3), 4, 1)
    expect(w.count).toBe(0)
    expect(w.values).toHaveLength(0)
  })
})

describe('fillGaps', () => {
  const column = (values: number[]): Matrix => ({
    rows: values.length,
    cols: 1,
    values: Float32Array.from(values),
  })

  it('holds the last value across a gap up to the limit', () => {
    const out = fillGaps(column([1, NaN, NaN, 4]), 2)
    expect(Array.from(out.values)).toEqual([1, 1, 1, 4])
  })

  it('leaves a longer gap missing, whole', () => {
    const out = fillGaps(column([1, NaN, NaN, NaN, 5, NaN, 7]), 2)
    expect(Array.from(out.values).map((v) => (Number.isNaN(v) ? null : v))).toEqual([
      1,
      null,
      null,
      null,
      5,
      5,
      7,
    ])
  })

  it('does not invent values before the first one, nor touch the input', () => {
    const input = column([NaN, 2, NaN])
    const out = fillGaps(input, 5)
    expect(out.values[0]).toBeNaN()
    expect(Array.from(out.values.subarray(1))).toEqual([2, 2])
    expect(input.values[2]).toBeNaN()
  })

  it('a filled gap gives back the windows it spoiled', () => {
    const m = ramp(12)
    m.values[2 * 6] = NaN
    expect(extractWindows(m, 4, 1).count).toBeLessThan(9)
    expect(extractWindows(fillGaps(m, 1), 4, 1).count).toBe(9)
  })
})
