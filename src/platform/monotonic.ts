/**
 * A monotonic clock in fractional milliseconds, for protocol timing. Wall time (Date.now) can
 * step and counts whole milliseconds: two readings of it can differ by 1 while only 0.01 ms
 * passed, which is more than half of the silence an RS-485 line needs between frames.
 */
export interface Monotonic {
  now(): number
  /** How far a reading may lie below the true time (the clock's step). */
  readonly resolutionMs: number
}

/** performance.now(): monotonic, sub-microsecond steps on every platform Node runs on. */
export const systemMonotonic: Monotonic = {
  now: () => performance.now(),
  resolutionMs: 0.001,
}
