import type { SampleBatch } from '../../contract'

/** One complete time step: every modelled sensor's value (NaN: none, even after bridging). */
export type RowSink = (t: number, row: Float32Array) => void

/**
 * Turns the live sample stream into rows on the model's time grid (one row per `periodMs`).
 * A row is complete once a sample of a later row arrives. A sensor without a sample in a row
 * holds its last value for up to `maxHoldRows` rows, then is missing (NaN). Samples for rows
 * already complete (late arrivals) are dropped and counted. O(sensors) per row, O(1) per sample.
 */
export class LiveRows {
  private readonly cols: number
  private readonly colOf: Map<string, number>
  private readonly open: Float32Array
  private readonly last: Float32Array
  private readonly age: Int32Array
  private openRow: number | null = null
  late = 0

  constructor(
    sensorIds: readonly string[],
    private readonly periodMs: number,
    private readonly maxHoldRows: number,
    private readonly sink: RowSink,
  ) {
    this.cols = sensorIds.length
    this.colOf = new Map(sensorIds.map((id, i) => [id, i]))
    this.open = new Float32Array(this.cols).fill(Number.NaN)
    this.last = new Float32Array(this.cols).fill(Number.NaN)
    this.age = new Int32Array(this.cols).fill(Number.MAX_SAFE_INTEGER >> 1)
  }

  push(batch: SampleBatch): void {
    const { sensorIds, t, values } = batch
    for (let i = 0; i < t.length; i++) {
      const c = this.colOf.get(sensorIds[i] as string)
      if (c === undefined) continue
      const row = Math.floor((t[i] as number) / this.periodMs)
      if (this.openRow === null) this.openRow = row
      if (row < this.openRow) {
        this.late++
        continue
      }
      if (row > this.openRow) this.completeUntil(row)
      this.open[c] = values[i] as number
    }
  }

  /** Completes every row before `row` (rows with no sample at all are held or missing). */
  private completeUntil(row: number): void {
    let r = this.openRow as number
    // After a long silence, emit one missing row instead of thousands: it breaks the windows.
    if (row - r > this.maxHoldRows + 1) {
      this.emit(r)
      r = row - 1
      this.last.fill(Number.NaN)
      this.open.fill(Number.NaN)
    }
    for (; r < row; r++) this.emit(r)
    this.openRow = row
  }

  private emit(r: number): void {
    const out = new Float32Array(this.cols)
    for (let c = 0; c < this.cols; c++) {
      const v = this.open[c] as number
      if (Number.isNaN(v)) {
        this.age[c] = (this.age[c] as number) + 1
        out[c] = (this.age[c] as number) <= this.maxHoldRows ? (this.last[c] as number) : Number.NaN
      } else {
        this.age[c] = 0
        this.last[c] = v
        out[c] = v
      }
    }
    this.open.fill(Number.NaN)
    this.sink(r * this.periodMs, out)
  }
}
