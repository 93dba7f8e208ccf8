import type { Clock, Timer } from '../../platform/clock'
import { systemMonotonic, type Monotonic } from '../../platform/monotonic'
import type { SerialPortLike, SerialSettings } from '../serial/serial-port-factory'
import { charTimeMs, interFrameMs, LineSilence } from './inter-frame'
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

export interface BusOptions {
  clock: Clock
  /** Times the silence between frames; performance.now() unless a test fakes it. */
  mono?: Monotonic
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
 * after the inter-frame silence since the last byte in either direction (LineSilence), so two
 * devices never talk at once and strict slaves see every frame start.
 */
export class ModbusBus {
  private queue: Promise<unknown> = Promise.resolve()
  private active: Active | null = null
  private closed: Error | null = null
  private readonly mono: Monotonic
  private readonly silence: LineSilence
  private readonly charMs: number

  constructor(
    private readonly port: WritablePort,
    private readonly opts: BusOptions,
  ) {
    this.mono = opts.mono ?? systemMonotonic
    this.silence = new LineSilence(this.mono, opts.clock, interFrameMs(opts.settings))
    this.charMs = charTimeMs(opts.settings)
    port.on('data', (chunk) => this.onData(chunk))
  }

  /**
   * Sends `req`, retrying time-outs and CRC errors up to `retries` times (the bus's setting
   * unless given); the last outcome.
   */
  request(req: ReadRequest, retries = this.opts.retries): Promise<Outcome> {
    const run = this.queue.then(() => this.withRetries(req, retries))
    this.queue = run.catch(() => undefined)
    return run
  }

  /** The port is gone: the request on the wire and all queued ones end as port failures. */
  close(error: Error): void {
    this.closed = error
    this.active?.finish({ kind: 'port', error })
  }

  private async withRetries(req: ReadRequest, retries: number): Promise<Outcome> {
    let outcome: Outcome = { kind: 'timeout' }
    for (let attempt = 0; attempt <= retries; attempt++) {
      outcome = await this.once(req)
      if (outcome.kind !== 'port') this.opts.onAttempt?.(req, outcome)
      // An exception is the device's considered answer; asking again changes nothing.
      if (outcome.kind !== 'timeout' && outcome.kind !== 'crc') break
    }
    return outcome
  }

  private async once(req: ReadRequest): Promise<Outcome> {
    if (this.closed) return { kind: 'port', error: this.closed }
    await this.silence.quiet()
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
          resolve(o)
        },
      }
      this.active = active
      const frame = encodeReadRequest(req)
      // The frame's last byte leaves the wire this long after the write starts.
      this.silence.sent(this.mono.now() + frame.length * this.charMs)
      this.port.write(frame, (err) => {
        if (err) active.finish({ kind: 'port', error: err })
      })
      timer = clock.setTimeout(() => active.finish({ kind: 'timeout' }), timeoutMs)
    })
  }

  private onData(chunk: Buffer): void {
    this.silence.heard()
    // Bytes outside a request (a late answer after a time-out, noise) are dropped.
    const active = this.active
    if (!active) return
    const res = active.assembler.push(chunk)
    if (res) active.finish(res)
  }
}
