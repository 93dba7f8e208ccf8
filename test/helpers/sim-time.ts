import type { Clock, Timer } from '../../src/platform/clock'
import type { Monotonic } from '../../src/platform/monotonic'

interface Event {
  id: number
  at: number
  fn: () => void
  every: number | null
}

export interface SimTimeOptions {
  /** Wall time at the start (Clock.now() counts whole ms from here). */
  epoch?: number
  /** The monotonic clock's step: readings are rounded down to it (0: exact). */
  monoStepMs?: number
  /** Timers fire this much before they are due (as Node's may), never before now. */
  timerEarlyMs?: number
}

/**
 * Simulated time for protocol tests: an exact "true" time in fractional ms, the clocks the code
 * under test reads (wall time in whole ms; a monotonic clock that may round down) and timers
 * that may fire early. `advance` runs events in time order and lets promise continuations run
 * after each, so async code paces itself as it would against real time.
 */
export class SimTime implements Clock {
  /** True time in ms since the start, exact. */
  t = 0
  readonly mono: Monotonic
  private readonly epoch: number
  private readonly early: number
  private events: Event[] = []
  private nextId = 1

  constructor(opts: SimTimeOptions = {}) {
    this.epoch = opts.epoch ?? Date.UTC(2026, 0, 1)
    this.early = opts.timerEarlyMs ?? 0
    const step = opts.monoStepMs ?? 0
    this.mono = {
      now: () => (step > 0 ? Math.floor(this.t / step) * step : this.t),
      resolutionMs: step,
    }
  }

  now(): number {
    return this.epoch + Math.floor(this.t)
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.add(fn, Math.max(0, ms - this.early), null)
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.add(fn, Math.max(1, ms), Math.max(1, ms))
  }

  clearTimeout(timer: Timer): void {
    const id = timer as unknown as number
    this.events = this.events.filter((e) => e.id !== id)
  }

  clearInterval(timer: Timer): void {
    this.clearTimeout(timer)
  }

  /** Runs `fn` exactly `delayMs` of true time from now (a device's doing, not a timer). */
  at(delayMs: number, fn: () => void): void {
    this.add(fn, delayMs, null)
  }

  /** Moves true time forward by `ms`, running every event due on the way in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms
    for (;;) {
      let next: Event | undefined
      for (const e of this.events) {
        if (e.at <= end && (!next || e.at < next.at || (e.at === next.at && e.id < next.id)))
          next = e
      }
      if (!next) break
      this.t = Math.max(this.t, next.at)
      if (next.every === null) this.events = this.events.filter((e) => e !== next)
      else next.at += next.every
      next.fn()
      await new Promise((r) => setImmediate(r))
    }
    this.t = end
    await new Promise((r) => setImmediate(r))
  }

  private add(fn: () => void, ms: number, every: number | null): Timer {
    const id = this.nextId++
    this.events.push({ id, at: this.t + ms, fn, every })
    return id as unknown as Timer
  }
}
