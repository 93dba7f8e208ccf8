import { describe, expect, it } from 'vitest'
import { modbusRegisterSchema, type ModbusRegister } from '../../../../../src/contract'
import { ModbusConfigError } from '../../../../../src/ingest/modbus/decode'
import { describeRead, planReads } from '../../../../../src/ingest/modbus/poll-plan'

let n = 0
const reg = (over: Partial<ModbusRegister>): ModbusRegister =>
  modbusRegisterSchema.parse({
    id: `r${n++}`,
    name: 'r',
    slaveId: 1,
    function: 'holding',
    address: 0,
    ...over,
  })
const shape = (regs: ModbusRegister[], maxGap?: number) =>
  planReads(regs, maxGap === undefined ? {} : { maxGap }).map((r) => [
    describeRead(r),
    r.items.map((i) => i.index),
  ])

describe('poll planning', () => {
  it('merges contiguous registers, counting 32-bit types as two', () => {
    const regs = [reg({ address: 2, type: 'float32' }), reg({ address: 0 }), reg({ address: 1 })]
    expect(shape(regs)).toEqual([['slave 1 holding 0..3', [0, 1, 2]]])
  })

  it('reads through small gaps and splits at large ones', () => {
    const regs = [reg({ address: 0 }), reg({ address: 5 }), reg({ address: 30 })]
    expect(shape(regs, 4)).toEqual([
      ['slave 1 holding 0..5', [0, 5]],
      ['slave 1 holding 30..30', [0]],
    ])
    expect(shape(regs, 0).length).toBe(3)
  })

  it('keeps slaves and functions apart, ordered by slave', () => {
    const regs = [
      reg({ slaveId: 2, address: 0 }),
      reg({ slaveId: 1, function: 'input', address: 0 }),
      reg({ slaveId: 1, function: 'coil', address: 3 }),
      reg({ slaveId: 1, address: 1 }),
    ]
    expect(shape(regs).map(([d]) => d)).toEqual([
      'slave 1 coil 3..3',
      'slave 1 holding 1..1',
      'slave 1 input 0..0',
      'slave 2 holding 0..0',
    ])
  })

  it('never exceeds 125 registers or 2000 bits per request', () => {
    const words = Array.from({ length: 300 }, (_, i) => reg({ address: i }))
    const reads = planReads(words)
    expect(reads.map((r) => r.count)).toEqual([125, 125, 50])
    const bits = Array.from({ length: 4500 }, (_, i) => reg({ function: 'discrete', address: i }))
    expect(planReads(bits).map((r) => r.count)).toEqual([2000, 2000, 500])
    // A 32-bit value never straddles two requests.
    const floats = Array.from({ length: 70 }, (_, i) => reg({ address: i * 2, type: 'float32' }))
    expect(planReads(floats).map((r) => r.count)).toEqual([124, 16])
  })

  it('converts 1-based addresses and refuses impossible ones', () => {
    expect(shape([reg({ address: 1, addressBase: 1 })])).toEqual([['slave 1 holding 0..0', [0]]])
    expect(() => planReads([reg({ address: 0, addressBase: 1 })])).toThrow(ModbusConfigError)
  })

  it('serves the same register twice from one read', () => {
    expect(shape([reg({ address: 4 }), reg({ address: 4, type: 'int16' })])).toEqual([
      ['slave 1 holding 4..4', [0, 0]],
    ])
  })
})
