/** Failed sign-ins one address may make per window before it has to wait. */
const MAX_FAILURES = 20
const WINDOW_MS = 5 * 60_000
/** Addresses remembered at most; past it, those whose window has passed are forgotten. */
const MAX_ADDRESSES = 10_000

/**
 * Slows down guessing from one network address across many user names (each account also
 * locks by itself). Kept in memory; forgets an address once its window has passed.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { since: number; n: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds this address must wait before trying again; 0 when it may try now. */
  waitMs(address: string): number {
    const f = this.failures.get(address)
    if (!f) return 0
    const left = f.since + WINDOW_MS - this.now()
    if (left <= 0) {
      this.failures.delete(address)
      return 0
    }
    return f.n >= MAX_FAILURES ? left : 0
  }

  failed(address: string): void {
    const now = this.now()
    if (this.failures.size >= MAX_ADDRESSES)
      for (const [a, f] of this.failures) if (now - f.since >= WINDOW_MS) this.failures.delete(a)
    const f = this.failures.get(address)
    if (!f || now - f.since >= WINDOW_MS) this.failures.set(address, { since: now, n: 1 })
    else f.n++
  }

  succeeded(address: string): void {
    this.failures.delete(address)
  }
}
