import { crcOk, withCrc } from './crc16'

export type ModbusFunction = 'coil' | 'discrete' | 'holding' | 'input'

export const FUNCTION_CODE: Record<ModbusFunction, number> = {
  coil: 0x01,
  discrete: 0x02,
  holding: 0x03,
  input: 0x04,
}

/** One read request: `count` registers or bits from wire address `start`. */
export interface ReadRequest {
  slaveId: number
  fn: ModbusFunction
  start: number
  count: number
}

/** What one response turned out to be. */
export type RtuResponse =
  | { kind: 'ok'; data: Buffer }
  | { kind: 'exception'; code: number }
  | { kind: 'crc'; frame: Buffer }

/** Largest RTU frame the standard allows; nothing we buffer is ever longer. */
export const MAX_FRAME = 256

/** The 8-byte RTU frame of a read request. */
export function encodeReadRequest(req: ReadRequest): Buffer {
  const body = Buffer.alloc(6)
  body[0] = req.slaveId
  body[1] = FUNCTION_CODE[req.fn]
  body.writeUInt16BE(req.start, 2)
  body.writeUInt16BE(req.count, 4)
  return withCrc(body)
}

/** How many data bytes a good answer to `req` carries. */
export function expectedByteCount(req: ReadRequest): number {
  return req.fn === 'coil' || req.fn === 'discrete' ? Math.ceil(req.count / 8) : req.count * 2
}

const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  5: 'acknowledge',
  6: 'slave device busy',
  10: 'gateway path unavailable',
  11: 'gateway target failed to respond',
}

/** An exception code in words, as device manuals name them. */
export function describeException(code: number): string {
  return `exception ${code} (${EXCEPTIONS[code] ?? 'unknown'})`
}

/**
 * Collects the bytes of the answer to one request. The master always knows what it asked, so
 * the expected length follows from the request: bytes that cannot begin that answer (another
 * slave id, another function, a byte count that does not fit) are skipped as line noise. A
 * complete frame with a bad CRC ends the request as a CRC error, as on a real bus, where the
 * master discards the answer rather than guess where a frame starts. The buffer never holds
 * more than one frame.
 */
export class ResponseAssembler {
  private buf = Buffer.alloc(0)
  /** Bytes thrown away because no answer to this request could start with them. */
  garbage = 0
  private result: RtuResponse | null = null
  private readonly fc: number
  private readonly byteCount: number

  constructor(readonly req: ReadRequest) {
    this.fc = FUNCTION_CODE[req.fn]
    this.byteCount = expectedByteCount(req)
  }

  /** Feeds bytes; returns the response once it is complete, and keeps returning it after. */
  push(chunk: Uint8Array): RtuResponse | null {
    if (this.result) return this.result
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk])
    for (;;) {
      const need = this.frameLength()
      if (need === 0) {
        this.buf = this.buf.subarray(1)
        this.garbage++
        continue
      }
      if (need < 0 || this.buf.length < need) break
      const frame = Buffer.from(this.buf.subarray(0, need))
      this.buf = Buffer.alloc(0)
      this.result = this.parse(frame)
      return this.result
    }
    return null
  }

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length
  }

  /** Full length of the frame at the buffer start; 0: cannot start here; -1: need more bytes. */
  private frameLength(): number {
    const b = this.buf
    if (b.length === 0) return -1
    if (b[0] !== this.req.slaveId) return 0
    if (b.length < 2) return -1
    if (b[1] === (this.fc | 0x80)) return 5
    if (b[1] !== this.fc) return 0
    if (b.length < 3) return -1
    return b[2] === this.byteCount ? 3 + this.byteCount + 2 : 0
  }

  private parse(frame: Buffer): RtuResponse {
    if (!crcOk(frame)) return { kind: 'crc', frame }
    if (frame[1] === (this.fc | 0x80)) return { kind: 'exception', code: frame[2] ?? 0 }
    return { kind: 'ok', data: frame.subarray(3, 3 + this.byteCount) }
  }
}

/** Bytes as `01 03 00 0A`, for logs and the Sources page. */
export function hex(bytes: Uint8Array, max = 32): string {
  const parts = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0'))
  return parts.join(' ').toUpperCase() + (bytes.length > max ? ' …' : '')
}
