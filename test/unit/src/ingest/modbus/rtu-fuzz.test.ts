import { describe, expect, it } from 'vitest'
import { crcOk, withCrc } from '../../../../../src/ingest/modbus/crc16'
import {
  expectedByteCount,
  FUNCTION_CODE,
  MAX_FRAME,
  ResponseAssembler,
  type ModbusFunction,
  type ReadRequest,
  type RtuResponse,
} from '../../../../../src/ingest/modbus/rtu-frame'
import { seededRandom } from '../../../../../src/ingest/random'

const FRAMES = 100_000
const FNS: ModbusFunction[] = ['coil', 'discrete', 'holding', 'input']
const KINDS = [
  'valid',
  'noise-first',
  'bit-flip',
  'exception',
  'truncated',
  'merged',
  'random',
] as const

describe('fuzzing the response assembler', () => {
  it(`survives ${FRAMES} random and mutated frames with exact outcome counts`, () => {
    const rnd = seededRandom(20_260_101)
    const int = (n: number) => Math.floor(rnd() * n)
    const expected = { ok: 0, crc: 0, exception: 0, pending: 0 }
    const got = { ok: 0, crc: 0, exception: 0, pending: 0 }
    let randomOk = 0

    for (let i = 0; i < FRAMES; i++) {
      const fn = FNS[int(4)] ?? 'holding'
      const bits = fn === 'coil' || fn === 'discrete'
      const req: ReadRequest = {
        slaveId: 1 + int(247),
        fn,
        start: int(65_536),
        count: 1 + int(bits ? 2000 : 125),
      }
      const data = Buffer.from(Array.from({ length: expectedByteCount(req) }, () => int(256)))
      const fc = FUNCTION_CODE[fn]
      const frame = withCrc(Buffer.concat([Buffer.from([req.slaveId, fc, data.length]), data]))
      const kind = KINDS[int(KINDS.length)] ?? 'valid'
      let input: Buffer
      let want: keyof typeof expected
      switch (kind) {
        case 'valid':
        case 'merged':
          input = kind === 'merged' ? Buffer.concat([frame, frame]) : frame
          want = 'ok'
          break
        case 'noise-first': {
          // Noise bytes that can never be taken for the slave id.
          const noise = Array.from(
            { length: 1 + int(40) },
            () => (req.slaveId + 1 + int(255)) % 256,
          )
          input = Buffer.concat([Buffer.from(noise), frame])
          want = 'ok'
          break
        }
        case 'bit-flip': {
          // Past the header, so the frame length stays right; CRC-16 catches every single-bit error.
          input = Buffer.from(frame)
          const at = 3 + int(frame.length - 3)
          input[at] = (input[at] ?? 0) ^ (1 << int(8))
          want = 'crc'
          break
        }
        case 'exception':
          input = withCrc(Buffer.from([req.slaveId, fc | 0x80, 1 + int(11)]))
          want = 'exception'
          break
        case 'truncated':
          input = frame.subarray(0, int(frame.length))
          want = 'pending'
          break
        case 'random':
          input = Buffer.from(Array.from({ length: int(300) }, () => int(256)))
          want = 'pending' // checked loosely below: noise may, rarely, contain a valid frame
          break
      }

      const a = new ResponseAssembler(req)
      let res: RtuResponse | null = null
      for (let at = 0; at < input.length;) {
        const n = 1 + int(64) // split at random points, as a UART delivers it
        res = a.push(input.subarray(at, at + n)) ?? res
        at += n
        expect(a.pending).toBeLessThanOrEqual(MAX_FRAME)
      }
      const outcome = res ? res.kind : 'pending'
      if (kind === 'random') {
        if (res?.kind === 'ok') randomOk++
        continue
      }
      expected[want]++
      got[outcome]++
      if (res?.kind === 'ok') expect(res.data.equals(data)).toBe(true)
      if (res?.kind === 'crc') expect(crcOk(res.frame)).toBe(false)
      if (kind === 'truncated') expect(a.pending).toBe(input.length)
    }
    expect(got).toEqual(expected)
    expect(expected.ok + expected.crc + expected.exception + expected.pending).toBeGreaterThan(
      80_000,
    )
    expect(randomOk).toBeLessThan(10)
  }, 60_000)
})
