import type { SampleBatch } from '../contract'
import type { Sample } from '../ingest/sample'
import type { Clock, Timer } from '../platform/clock'

export interface SampleBatcherOptions {
  clock: Clock
  /** The longest a sample waits before it is flushed. */
  maxDelayMs?: number
  /** Flush at once when this many samples are waiting. */
  maxSamples?: number
  onFlush: (batch: SampleBatch) => void
}

/**
 * Collects samples and hands them on in columnar batches (by count or after about 250 ms), so
 * storage gets one transaction and each client one message per batch, never one per sample.
 */
export class SampleBatcher {
  private sensorIds: string[] = []
  private t: number[] = []
  private values: number[] = []
  private timer: Timer | null = null
  private readonly maxDelayMs: number
  private readonly maxSamples: number

  constructor(private readonly opts: SampleBatcherOptions) {
    this.maxDelayMs = opts.maxDelayMs ?? 250
    this.maxSamples = opts.maxSamples ?? 10_000
  }

  get pending(): number {
    return this.t.length
  }

  push(samples: readonly Sample[]): void {
    for (const s of samples) {
      this.sensorIds.push(s.sensorId)
      this.t.push(s.t)
      this.values.push(s.value)
    }
    if (this.t.length >= this.maxSamples) this.flush()
    else if (!this.timer && this.t.length > 0) {
      this.timer = this.opts.clock.setTimeout(() => {
        this.timer = null
        this.flush()
      }, this.maxDelayMs)
    }
  }

  /** Hands on whatever is waiting now (also on shutdown). */
  flush(): void {
    if (this.timer) {
      this.opts.clock.clearTimeout(this.timer)
      this.timer = null
    }
    if (this.t.length === 0) return
    const batch: SampleBatch = { sensorIds: this.sensorIds, t: this.t, values: this.values }
    this.sensorIds = []
    this.t = []
    this.values = []
    this.opts.onFlush(batch)
  }
}
