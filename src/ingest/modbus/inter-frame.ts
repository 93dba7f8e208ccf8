import type { Clock } from '../../platform/clock'
import type { Monotonic } from '../../platform/monotonic'
import type { SerialSettings } from '../serial/serial-port-factory'

/** Bits on the wire per character: start, data, parity, stop. */
export function bitsPerChar(s: SerialSettings): number {
  return 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits
}

/** How long one character takes on the wire, in milliseconds. */
export function charTimeMs(s: SerialSettings): number {
  return (bitsPerChar(s) * 1000) / s.baudRate
}

/**
 * The silence that separates RTU frames: 3.5 character times, and a fixed 1.75 ms above
 * 19200 baud (Modbus over serial line, 2.5.1.1), where 3.5 characters would be too short for
 * slaves to tell apart from the gaps inside a frame.
 */
export function interFrameMs(s: SerialSettings): number {
  return s.baudRate > 19_200 ? 1.75 : 3.5 * charTimeMs(s)
}

/**
 * Keeps the line quiet between frames. Every byte in either direction is marked with the
 * monotonic clock; `quiet()` resolves only once the silence has passed since the last one.
 * Timers are not trusted: they count whole milliseconds and may fire early, so the time is
 * checked again after each and the wait resumed until it really has passed. The clock's own
 * step is added, so a clock that rounds down cannot make the silence shorter either.
 */
export class LineSilence {
  private last = -Infinity

  constructor(
    private readonly mono: Monotonic,
    private readonly timers: Pick<Clock, 'setTimeout'>,
    readonly silenceMs: number,
  ) {}

  /** Our frame is sent; its last byte leaves the wire at `endAt` (monotonic ms). */
  sent(endAt: number): void {
    if (endAt > this.last) this.last = endAt
  }

  /**
   * Bytes arrived now. On a half-duplex line an answer starts only after our frame ended, so the
   * line was last busy now, even if our estimate of our own frame's end was later.
   */
  heard(at: number = this.mono.now()): void {
    this.last = at
  }

  /** Milliseconds still to wait; 0 when the line has been quiet long enough. */
  remaining(): number {
    const left = this.last + this.silenceMs + this.mono.resolutionMs - this.mono.now()
    return left > 0 ? left : 0
  }

  /** Resolves once the line has been quiet for the whole silence. */
  async quiet(): Promise<void> {
    for (let left = this.remaining(); left > 0; left = this.remaining()) {
      await new Promise<void>((resolve) => this.timers.setTimeout(resolve, Math.ceil(left)))
    }
  }
}
