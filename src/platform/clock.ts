/** Time and timers, injected so tests can drive them. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): Timer
  clearTimeout(timer: Timer): void
  setInterval(fn: () => void, ms: number): Timer
  clearInterval(timer: Timer): void
}

/** An opaque timer handle. */
export type Timer = { readonly __timer: unique symbol } | ReturnType<typeof setTimeout>

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (t) => clearInterval(t as ReturnType<typeof setInterval>),
}
