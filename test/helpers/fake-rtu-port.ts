import { EventEmitter } from 'node:events'
import type { SerialPortLike } from '../../src/ingest/serial/serial-port-factory'
import { answerFor, takeRequests, type RtuDevices, type SeenRequest } from './rtu-device'
import type { SimTime } from './sim-time'

/** One frame on the simulated line, with the true times its first and last bytes were there. */
export interface LineFrame {
  from: 'master' | 'slave'
  start: number
  end: number
  data: Buffer
}

/**
 * A serial port on a simulated RS-485 line, in simulated time: each byte takes `charMs` on the
 * wire, the devices answer `turnaroundMs` after a request's last byte, and the master hears an
 * answer when its last byte arrives. Every frame is logged with its true times, so a test can
 * measure the silence between frames as a device on the line would.
 */
export class FakeRtuPort extends EventEmitter implements SerialPortLike {
  isOpen = false
  readonly frames: LineFrame[] = []
  readonly seen: SeenRequest[] = []
  private pending: Buffer = Buffer.alloc(0)

  constructor(
    private readonly sim: SimTime,
    private readonly devices: RtuDevices,
    private readonly line: { charMs: number; turnaroundMs?: number },
  ) {
    super()
  }

  open(cb: (err: Error | null) => void): void {
    this.isOpen = true
    this.sim.at(0, () => cb(null))
  }

  close(cb?: (err: Error | null) => void): void {
    this.isOpen = false
    cb?.(null)
  }

  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean {
    const start = this.sim.t
    const end = start + data.length * this.line.charMs
    this.frames.push({ from: 'master', start, end, data: Buffer.from(data) })
    const { requests, rest } = takeRequests(Buffer.concat([this.pending, data]))
    this.pending = rest
    for (const req of requests) {
      this.seen.push(req)
      const answer = answerFor(this.devices, req, this.seen.length - 1)
      if (!answer) continue
      const answerStart = end + (this.line.turnaroundMs ?? 0.5)
      const answerEnd = answerStart + answer.length * this.line.charMs
      this.sim.at(answerEnd - start, () => {
        this.frames.push({ from: 'slave', start: answerStart, end: answerEnd, data: answer })
        if (this.isOpen) this.emit('data', answer)
      })
    }
    cb?.(null)
    return true
  }
}
