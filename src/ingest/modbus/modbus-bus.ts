import type { Clock, Timer } from '../../platform/clock'
import type { SerialPortLike, SerialSettings } from '../serial/serial-port-factory'
import {
  encodeReadRequest,
  ResponseAssembler,
  type ReadRequest,
  type RtuResponse,
} from './rtu-frame'

/** A port the master can write to: the real SerialPort is one. */
export interface WritablePort extends SerialPortLike {
  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean
}

/** True when `port` can send bytes (the shared SerialPortLike only promises to receive). */
export function isWritable(port: SerialPortLike): port is WritablePort {
  return typeof (port as Partial<WritablePort>).write === 'function'
}

/** How one attempt (or a whole request, after retries) ended. */
export type Outcome = RtuResponse | { kind: 'timeout' } | { kind: 'port'; error: Error }

/**
 * Silence that separates RTU frames: 3.5 character times, fixed at 1.75 ms above 19200 baud
 * as the spec says (timers that fine are unreliable anyway). Rounded up to whole ms.
 */
export function interFrameMs(s: SerialSettings): number {
  if (s.baudRate > 19_200) return 2
  const bits = 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits
  return Math.ceil((3.5 * bits * 1000) / s.baudRate)
}

export interface BusOptions {
  clock: Clock
  settings: SerialSettings
  timeoutMs: number
  retries: number
  /** Called after every attempt, retries included, for the per-slave counters. */
  onAttempt?: (req: ReadRequest, outcome: Outcome) => void
}

interface Active {
  assembler: ResponseAssembler
  finish: (o: Outcome) => void
}

/**
 * The master's side of a half-duplex RS-485 bus: strictly one request on the wire at a time.
 * Requests queue; the next one is sent only after the answer, a time-out or a failure, and
 * after the inter-frame silence, so two slaves never talk at once.
 */
export class ModbusBus {
  private queue: Promise<unknown> = Promise.resolve()
  private active: Active | null = null
  private lastActivity = 0
  private closed: Error | null = null
  private readonly silenceMs: number

  constructor(
    private readonly port: WritablePort,
    private readonly opts: BusOptions,
  ) {
    this.silenceMs = interFrameMs(opts.settings)
    port.on('data', (chunk) => this.onData(chunk))
  }

  /** Sends `req`, retrying time-outs and CRC errors up to `retries` times; the last outcome. */
  request(req: ReadRequest): Promise<Outcome> {
    const run = this.queue.then(() => this.withRetries(req))
    this.queue = run.catch(() => undefined)
    return run
  }

  /** The port is gone: the request on the wire and all queued ones end as port failures. */
  close(error: Error): void {
    this.closed = error
    this.active?.finish({ kind: 'port', error })
  }

  private async withRetries(req: ReadRequest): Promise<Outcome> {
    let outcome: Outcome = { kind: 'timeout' }
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      outcome = await this.once(req)
      if (outcome.kind !== 'port') this.opts.onAttempt?.(req, outcome)
      // An exception is the device's considered answer; asking again changes nothing.
      if (outcome.kind !== 'timeout' && outcome.kind !== 'crc') break
    }
    return outcome
  }

  private async once(req: ReadRequest): Promise<Outcome> {
    if (this.closed) return { kind: 'port', error: this.closed }
    const wait = this.lastActivity + this.silenceMs - this.opts.clock.now()
    if (wait > 0) await this.sleep(wait)
    if (this.closed) return { kind: 'port', error: this.closed }
    const { clock, timeoutMs } = this.opts
    return new Promise<Outcome>((resolve) => {
      let timer: Timer | null = null
      const active: Active = {
        assembler: new ResponseAssembler(req),
        finish: (o) => {
          if (this.active !== active) return
          this.active = null
          if (timer) clock.clearTimeout(timer)
          this.lastActivity = clock.now()
          resolve(o)
        },
      }
      this.active = active
      this.port.write(encodeReadRequest(req), (err) => {
        if (err) active.finish({ kind: 'port', error: err })
      })
      timer = clock.setTimeout(() => active.finish({ kind: 'timeout' }), timeoutMs)
    })
  }

  private onData(chunk: Buffer): void {
    this.lastActivity = this.opts.clock.now()
    // Bytes outside a request (a late answer after a time-out, noise) are dropped.
    const active = this.active
    if (!active) return
    const res = active.assembler.push(chunk)
    if (res) active.finish(res)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((r) => this.opts.clock.setTimeout(r, ms))
  }
}
