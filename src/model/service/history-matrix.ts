import type { Historian } from '../../historian/historian'
import type { Matrix } from '../windows'

export interface TimeRange {
  from: number
  to: number
}

/** The most rows × sensors read into memory for one training or comparison run. */
export const MAX_MATRIX_CELLS = 40_000_000

const CHUNK_ROWS = 10_000

/** Rows of `periodMs` from `from`: row i holds each sensor's last sample in [from + i·P, from + (i+1)·P). */
export interface HistoryMatrix extends Matrix {
  from: number
  periodMs: number
}

/**
 * Reads the history of `sensorIds` over [from, to) onto a common time grid, one row per
 * `periodMs`. Times without a sample, and excluded periods, are NaN: the model never trains on
 * a guessed value, and the windowing bridges only short gaps.
 */
export async function readHistoryMatrix(
  historian: Historian,
  sensorIds: readonly string[],
  range: TimeRange,
  periodMs: number,
  exclude: readonly TimeRange[] = [],
): Promise<HistoryMatrix> {
  const from = Math.floor(range.from / periodMs) * periodMs
  const rows = Math.max(0, Math.ceil((range.to - from) / periodMs))
  const cols = sensorIds.length
  if (rows * cols > MAX_MATRIX_CELLS) {
    throw new RangeError(
      `The range holds ${rows.toLocaleString('en')} time steps of ${cols} sensors; at most ${MAX_MATRIX_CELLS.toLocaleString('en')} values can be read at once. Choose a shorter range.`,
    )
  }
  const values = new Float32Array(rows * cols).fill(Number.NaN)
  // In slices of about CHUNK_ROWS time steps, each read whole (the connection is free again
  // between them), with a turn of the event loop after each: the main process never stalls.
  const chunkMs = CHUNK_ROWS * periodMs
  for (let c = 0; c < cols; c++) {
    for (let t0 = from; t0 < range.to; t0 += chunkMs) {
      for (const s of historian.readRange(
        [sensorIds[c] as string],
        t0,
        Math.min(range.to, t0 + chunkMs),
      )) {
        const r = Math.floor((s.t - from) / periodMs)
        if (r >= 0 && r < rows) values[r * cols + c] = s.value
      }
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  for (const ex of exclude) {
    const r0 = Math.max(0, Math.floor((ex.from - from) / periodMs))
    const r1 = Math.min(rows, Math.ceil((ex.to - from) / periodMs))
    if (r1 > r0) values.fill(Number.NaN, r0 * cols, r1 * cols)
  }
  return { rows, cols, values, from, periodMs }
}

/** The grid step for a set of sensors: the slowest one's period, so every row can be full. */
export function commonPeriodMs(periods: readonly number[]): number {
  return Math.max(1, Math.round(Math.max(...periods)))
}
