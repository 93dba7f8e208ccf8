import { crcOk, withCrc } from '../../src/ingest/modbus/crc16'

export type SlaveFunction = 'coil' | 'discrete' | 'holding' | 'input'

/** What one slave id holds, by wire address: 16-bit words for registers, 0/1 for bits. */
export interface SlaveMap {
  holding?: Record<number, number>
  input?: Record<number, number>
  coil?: Record<number, 0 | 1>
  discrete?: Record<number, 0 | 1>
}

/** A request as the slave saw it. */
export interface SeenRequest {
  slaveId: number
  fn: SlaveFunction
  start: number
  count: number
}

/** How to misbehave for one request: corrupt the CRC, say nothing, or refuse. */
export type Fault = 'crc' | 'silent' | { exception: number } | null

/** The devices on a line: slave ids with their maps, and a fault chooser. */
export interface RtuDevices {
  /** Slave ids that answer; requests to other ids get no answer, as on a bus. */
  slaves: Record<number, SlaveMap>
  /** Chooses a fault per request; null answers normally. */
  fault?: (req: SeenRequest, nth: number) => Fault
}

const FUNCTIONS: Record<number, SlaveFunction> = {
  1: 'coil',
  2: 'discrete',
  3: 'holding',
  4: 'input',
}

/**
 * Takes the complete requests off the front of `buf` (8 bytes each; on a bad CRC it slides one
 * byte, as a slave resynchronises on noise) and returns them with what is left.
 */
export function takeRequests(buf: Buffer): { requests: SeenRequest[]; rest: Buffer } {
  const requests: SeenRequest[] = []
  while (buf.length >= 8) {
    const frame = buf.subarray(0, 8)
    const fn = FUNCTIONS[frame[1] ?? 0]
    if (!crcOk(frame) || !fn) {
      buf = buf.subarray(1)
      continue
    }
    buf = buf.subarray(8)
    requests.push({
      slaveId: frame[0] ?? 0,
      fn,
      start: frame.readUInt16BE(2),
      count: frame.readUInt16BE(4),
    })
  }
  return { requests, rest: buf }
}

/** The answer frame the devices give to `req` (the `nth` request seen), or null for none. */
export function answerFor(devices: RtuDevices, req: SeenRequest, nth: number): Buffer | null {
  const map = devices.slaves[req.slaveId]
  if (!map) return null
  const fault = devices.fault?.(req, nth) ?? null
  if (fault === 'silent') return null
  const fc = { coil: 1, discrete: 2, holding: 3, input: 4 }[req.fn]
  let frame: Buffer
  const data = typeof fault === 'object' && fault ? null : readData(map, req)
  if (!data) {
    const code = typeof fault === 'object' && fault ? fault.exception : 2 // illegal data address
    frame = withCrc(Buffer.from([req.slaveId, fc | 0x80, code]))
  } else {
    frame = withCrc(Buffer.concat([Buffer.from([req.slaveId, fc, data.length]), data]))
  }
  if (fault === 'crc') frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff
  return frame
}

/** The data bytes of a good answer, or null when an address is not mapped. */
function readData(map: SlaveMap, req: SeenRequest): Buffer | null {
  if (req.fn === 'coil' || req.fn === 'discrete') {
    const bits = map[req.fn] ?? {}
    const out = Buffer.alloc(Math.ceil(req.count / 8))
    for (let i = 0; i < req.count; i++) {
      const bit = bits[req.start + i]
      if (bit === undefined) return null
      if (bit) out[i >> 3] = (out[i >> 3] ?? 0) | (1 << (i & 7))
    }
    return out
  }
  const words = map[req.fn] ?? {}
  const out = Buffer.alloc(req.count * 2)
  for (let i = 0; i < req.count; i++) {
    const w = words[req.start + i]
    if (w === undefined) return null
    out.writeUInt16BE(w & 0xffff, i * 2)
  }
  return out
}

/**
 * The register words a device would hold for `value`, for building slave maps: the inverse
 * of the master's decoding, written independently (big-endian bytes, then reordered).
 */
export function wordsFor(
  type: 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32',
  value: number,
  wordOrder: 'big' | 'little' = 'big',
  byteOrder: 'big' | 'little' = 'big',
): number[] {
  const b = Buffer.alloc(4)
  if (type === 'int16') b.writeInt16BE(value)
  else if (type === 'uint16') b.writeUInt16BE(value)
  else if (type === 'int32') b.writeInt32BE(value)
  else if (type === 'uint32') b.writeUInt32BE(value)
  else b.writeFloatBE(value)
  const n = type === 'int16' || type === 'uint16' ? 1 : 2
  let words = Array.from({ length: n }, (_, i) => b.readUInt16BE(i * 2))
  if (n === 2 && wordOrder === 'little') words = words.reverse()
  if (byteOrder === 'little') words = words.map((w) => ((w & 0xff) << 8) | (w >> 8))
  return words
}

/** Places `words` at consecutive addresses from `start` in a register table. */
export function place(table: Record<number, number>, start: number, words: number[]): void {
  words.forEach((w, i) => (table[start + i] = w))
}
