import { describe, expect, it } from 'vitest'
import { modbusRegisterSchema } from '../../../../../src/contract'
import {
  decodeBit,
  decodeRegisters,
  ModbusConfigError,
  scaleValue,
  wireAddress,
} from '../../../../../src/ingest/modbus/decode'

const bytes = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex')
type Case = [string, number, string, string, string, string] // type, value, ABCD, CDAB, BADC, DCBA

// Hand-written byte images as they arrive on the wire: AB CD = big words and big bytes.
const cases: Case[] = [
  ['int32', 305_419_896, '12345678', '56781234', '34127856', '78563412'],
  ['int32', -2, 'FFFFFFFE', 'FFFEFFFF', 'FFFFFEFF', 'FEFFFFFF'],
  ['uint32', 4_294_967_294, 'FFFFFFFE', 'FFFEFFFF', 'FFFFFEFF', 'FEFFFFFF'],
  ['uint32', 65_536, '00010000', '00000001', '01000000', '00000100'],
  ['float32', 1.5, '3FC00000', '00003FC0', 'C03F0000', '0000C03F'],
  ['float32', -123.456, 'C2F6E979', 'E979C2F6', 'F6C279E9', '79E9F6C2'],
]

describe('register decoding', () => {
  it.each(cases)(
    '%s %d in all four word and byte orders',
    (type, value, abcd, cdab, badc, dcba) => {
      const t = type as 'int32' | 'uint32' | 'float32'
      const orders = [
        [abcd, 'big', 'big'],
        [cdab, 'little', 'big'],
        [badc, 'big', 'little'],
        [dcba, 'little', 'little'],
      ] as const
      for (const [hex, word, byte] of orders) {
        // Put the value at register 1 behind one unrelated register, as in a real read.
        const got = decodeRegisters(bytes(`AAAA${hex}`), 1, t, word, byte)
        if (t === 'float32') expect(got).toBeCloseTo(value, 3)
        else expect(got).toBe(value)
      }
    },
  )

  it('decodes 16-bit types in both byte orders; word order does not apply', () => {
    for (const word of ['big', 'little'] as const) {
      expect(decodeRegisters(bytes('FFFE'), 0, 'int16', word, 'big')).toBe(-2)
      expect(decodeRegisters(bytes('FEFF'), 0, 'int16', word, 'little')).toBe(-2)
      expect(decodeRegisters(bytes('FFFE'), 0, 'uint16', word, 'big')).toBe(65_534)
      expect(decodeRegisters(bytes('FEFF'), 0, 'uint16', word, 'little')).toBe(65_534)
      expect(decodeRegisters(bytes('1234'), 0, 'int16', word, 'big')).toBe(4660)
      expect(decodeRegisters(bytes('3412'), 0, 'uint16', word, 'little')).toBe(4660)
      expect(decodeRegisters(bytes('8000'), 0, 'int16', word, 'big')).toBe(-32_768)
    }
  })

  it('reads coil bits least significant first', () => {
    const data = bytes('CD 01') // 1100 1101, 0000 0001
    expect([...Array(10).keys()].map((i) => decodeBit(data, i))).toEqual([
      1, 0, 1, 1, 0, 0, 1, 1, 1, 0,
    ])
  })

  it('scales raw values', () => {
    expect(scaleValue(1234, { scale: 0.1, offset: -20 })).toBeCloseTo(103.4, 10)
    expect(scaleValue(1, { scale: 1, offset: 0 })).toBe(1)
  })
})

describe('address conversion', () => {
  const reg = (over: object) =>
    modbusRegisterSchema.parse({
      id: 'r',
      name: 'r',
      slaveId: 1,
      function: 'holding',
      address: 0,
      ...over,
    })

  it('subtracts the base', () => {
    expect(wireAddress(reg({ address: 40, addressBase: 0 }))).toBe(40)
    expect(wireAddress(reg({ address: 1, addressBase: 1 }))).toBe(0)
    expect(wireAddress(reg({ address: 65_535, addressBase: 0 }))).toBe(65_535)
  })

  it('refuses a wire address below 0 or past the end, with a clear message', () => {
    expect(() => wireAddress(reg({ address: 0, addressBase: 1 }))).toThrow(ModbusConfigError)
    expect(() => wireAddress(reg({ address: 0, addressBase: 1 }))).toThrow(/wire address -1/)
    expect(() => wireAddress(reg({ address: 65_535, type: 'float32' }))).toThrow(/65535/)
    expect(() => wireAddress(reg({ address: 65_536 }))).toThrow(ModbusConfigError)
  })
})
