import type { Sensor, SourceStatus } from '../contract'
import type { Sample } from './sample'

/** Where a source delivers its samples; called with every reading it makes, in time order. */
export type SampleSink = (samples: readonly Sample[]) => void

/** A producer of samples: the demo plant now, serial ports and files later. */
export interface Source {
  readonly id: string
  readonly kind: string
  readonly name: string
  sensors(): Sensor[]
  start(sink: SampleSink): void
  stop(): void
  status(): SourceStatus
}

/** Samples per second over the last few seconds, cheap to update per delivery. */
export class RateMeter {
  private windowStart: number
  private count = 0
  private rate = 0

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 5000,
  ) {
    this.windowStart = now()
  }

  add(n: number): void {
    this.roll()
    this.count += n
  }

  perSecond(): number {
    this.roll()
    return this.rate
  }

  private roll(): void {
    const t = this.now()
    const elapsed = t - this.windowStart
    if (elapsed >= this.windowMs) {
      this.rate = (this.count * 1000) / elapsed
      this.count = 0
      this.windowStart = t
    }
  }
}
