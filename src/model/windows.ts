// Row-major sample matrices and the windows the model reads. One row = one time step, one column
// = one sensor, NaN = no value. Short gaps are bridged by holding the last value; longer ones stay
// missing, and a window that still contains a missing value is never used.

/** rows × cols, row-major; NaN marks a missing value. */
export interface Matrix {
  rows: number
  cols: number
  values: Float32Array
}

/** Windows packed as [count, windowSize, cols], row-major, with the row each one ends at. */
export interface Windows {
  count: number
  windowSize: number
  cols: number
  values: Float32Array
  /** Index (in the source matrix) of the last row of each window. */
  ends: Int32Array
}

/**
 * A copy of `m` where each run of at most `maxGap` missing values of a sensor, after a known
 * value, holds that value. Longer runs, and missing values before a sensor's first value, stay
 * NaN: guessing across a long outage would teach the model a flat line that never happened.
 */
export function fillGaps(m: Matrix, maxGap: number): Matrix {
  const { rows, cols } = m
  const values = m.values.slice(0, rows * cols)
  for (let c = 0; c < cols; c++) {
    let last = NaN
    let r = 0
    while (r < rows) {
      const v = values[r * cols + c]!
      if (!Number.isNaN(v)) {
        last = v
        r++
        continue
      }
      let end = r
      while (end < rows && Number.isNaN(values[end * cols + c]!)) end++
      if (end - r <= maxGap && !Number.isNaN(last)) {
        for (let k = r; k < end; k++) values[k * cols + c] = last
      }
      r = end
    }
  }
  return { rows, cols, values }
}

/** For each row, the index of the last row at or before it with a missing value (or −1). */
function lastMissing(m: Matrix): Int32Array {
  const out = new Int32Array(m.rows)
  let last = -1
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      if (Number.isNaN(m.values[r * m.cols + c]!)) {
        last = r
        break
      }
    }
    out[r] = last
  }
  return out
}

/** Calls `visit(start)` for each complete window start, in order; returns how many there were. */
function eachStart(
  missing: Int32Array,
  windowSize: number,
  stride: number,
  visit: (start: number, index: number) => void,
): number {
  let n = 0
  let start = 0
  while (start + windowSize <= missing.length) {
    const gap = missing[start + windowSize - 1]!
    if (gap >= start) {
      // Resume just after the missing value instead of on the stride grid: no data is wasted.
      start = gap + 1
      continue
    }
    visit(start, n++)
    start += stride
  }
  return n
}

/**
 * Windows of `windowSize` rows every `stride` rows, skipping any that contain a missing value
 * (after a gap the grid restarts at the first complete window).
 */
export function extractWindows(m: Matrix, windowSize: number, stride: number): Windows {
  if (windowSize < 1 || stride < 1) throw new Error('windowSize and stride must be positive')
  const missing = lastMissing(m)
  const count = eachStart(missing, windowSize, stride, () => {})
  const size = windowSize * m.cols
  const values = new Float32Array(count * size)
  const ends = new Int32Array(count)
  eachStart(missing, windowSize, stride, (start, i) => {
    values.set(m.values.subarray(start * m.cols, start * m.cols + size), i * size)
    ends[i] = start + windowSize - 1
  })
  return { count, windowSize, cols: m.cols, values, ends }
}
