import type { Clock, Timer } from '../../src/platform/clock'

interface Pending {
  id: number
  at: number
  fn: () => void
  every: number | null
}

/** A clock whose time moves only when the test says so; timers fire in time order. */
export class FakeClock implements Clock {
  private nowMs: number
  private nextId = 1
  private pending: Pending[] = []

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.nowMs = start
  }

  now(): number {
    return this.nowMs
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.add(fn, ms, null)
  }

  setInterval(fn: () => void, ms: number): Timer {
    return this.add(fn, ms, Math.max(1, ms))
  }

  clearTimeout(timer: Timer): void {
    this.pending = this.pending.filter((p) => p.id !== (timer as unknown as number))
  }

  clearInterval(timer: Timer): void {
    this.clearTimeout(timer)
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.nowMs + ms
    for (;;) {
      const next = this.pending
        .filter((p) => p.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!next) break
      this.nowMs = next.at
      if (next.every === null) this.pending = this.pending.filter((p) => p !== next)
      else next.at += next.every
      next.fn()
    }
    this.nowMs = end
  }

  private add(fn: () => void, ms: number, every: number | null): Timer {
    const id = this.nextId++
    this.pending.push({ id, at: this.nowMs + Math.max(0, ms), fn, every })
    return id as unknown as Timer
  }
}
