import { describe, expect, it } from 'vitest'
import { withCrc } from '../../../../../src/ingest/modbus/crc16'
import { ResponseAssembler, type ReadRequest } from '../../../../../src/ingest/modbus/rtu-frame'

const bytes = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex')
const holding: ReadRequest = { slaveId: 1, fn: 'holding', start: 0, count: 2 }
const good = withCrc(bytes('01 03 04 00 0A 00 0B'))

describe('the response assembler', () => {
  it('assembles a frame that arrives byte by byte', () => {
    const a = new ResponseAssembler(holding)
    for (const b of good.subarray(0, good.length - 1)) expect(a.push(Buffer.from([b]))).toBeNull()
    expect(a.pending).toBe(good.length - 1)
    expect(a.push(good.subarray(good.length - 1))).toEqual({ kind: 'ok', data: bytes('000A000B') })
  })

  it('skips noise and another slave’s answer before the frame', () => {
    const other = withCrc(bytes('02 03 04 00 0A 00 0B'))
    const a = new ResponseAssembler(holding)
    const res = a.push(Buffer.concat([bytes('00 FF 7E'), other, good, bytes('01 02')]))
    expect(res).toEqual({ kind: 'ok', data: bytes('000A000B') })
    expect(a.garbage).toBe(3 + other.length)
  })

  it('skips a header whose byte count does not fit the request', () => {
    const a = new ResponseAssembler(holding)
    expect(a.push(Buffer.concat([bytes('01 03 02'), good]))?.kind).toBe('ok')
    expect(a.garbage).toBe(3)
  })

  it('reports an exception and a CRC error', () => {
    const ex = new ResponseAssembler(holding).push(withCrc(bytes('01 83 02')))
    expect(ex).toEqual({ kind: 'exception', code: 2 })
    const bad = Buffer.from(good)
    bad[4] ^= 0x01
    expect(new ResponseAssembler(holding).push(bad)?.kind).toBe('crc')
  })

  it('sizes coil answers by bits', () => {
    const a = new ResponseAssembler({ slaveId: 9, fn: 'coil', start: 0, count: 10 })
    expect(a.push(withCrc(bytes('09 01 02 05 02')))).toEqual({ kind: 'ok', data: bytes('0502') })
  })

  it('keeps returning the first result and ignores what follows', () => {
    const a = new ResponseAssembler(holding)
    a.push(good)
    expect(a.push(withCrc(bytes('01 83 02')))?.kind).toBe('ok')
  })
})
