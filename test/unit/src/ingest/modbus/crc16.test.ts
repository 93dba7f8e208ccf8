import { describe, expect, it } from 'vitest'
import { crc16Modbus, crcOk, withCrc } from '../../../../../src/ingest/modbus/crc16'
import { encodeReadRequest } from '../../../../../src/ingest/modbus/rtu-frame'

const bytes = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex')

describe('CRC-16/MODBUS', () => {
  it('matches the published check value and frames from the spec', () => {
    expect(crc16Modbus(Buffer.from('123456789'))).toBe(0x4b37)
    expect(withCrc(bytes('01 03 00 00 00 0A'))).toEqual(bytes('01 03 00 00 00 0A C5 CD'))
    expect(withCrc(bytes('11 03 00 6B 00 03'))).toEqual(bytes('11 03 00 6B 00 03 76 87'))
  })

  it('tells a good frame from a damaged one', () => {
    expect(crcOk(bytes('01 03 00 00 00 0A C5 CD'))).toBe(true)
    expect(crcOk(bytes('01 03 00 00 00 0B C5 CD'))).toBe(false)
    expect(crcOk(bytes('01 03 00 00 00 0A CD C5'))).toBe(false) // CRC is sent low byte first
    expect(crcOk(bytes('01'))).toBe(false)
  })

  it('encodes read requests for all four functions', () => {
    expect(encodeReadRequest({ slaveId: 1, fn: 'holding', start: 0, count: 10 })).toEqual(
      bytes('01 03 00 00 00 0A C5 CD'),
    )
    expect(encodeReadRequest({ slaveId: 0x11, fn: 'holding', start: 0x6b, count: 3 })).toEqual(
      bytes('11 03 00 6B 00 03 76 87'),
    )
    for (const [fn, fc] of [
      ['coil', 1],
      ['discrete', 2],
      ['input', 4],
    ] as const) {
      const frame = encodeReadRequest({ slaveId: 7, fn, start: 300, count: 2 })
      expect([...frame.subarray(0, 6)]).toEqual([7, fc, 0x01, 0x2c, 0, 2])
      expect(crcOk(frame)).toBe(true)
    }
  })
})
