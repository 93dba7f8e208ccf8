import { describe, expect, it } from 'vitest'
import {
  modbusRegisterSchema,
  modbusSlaveOptionsSchema,
  type ModbusRegister,
} from '../../../../../src/contract'
import { ModbusConfigError } from '../../../../../src/ingest/modbus/decode'
import { DeviceMap } from '../../../../../src/ingest/modbus/device-map'
import {
  describeRead,
  planReads,
  type PlanOptions,
} from '../../../../../src/ingest/modbus/poll-plan'

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
const shape = (regs: ModbusRegister[], maxGap?: number | PlanOptions) =>
  planReads(regs, typeof maxGap === 'object' ? maxGap : maxGap === undefined ? {} : { maxGap }).map(
    (r) => [describeRead(r), r.items.map((i) => i.index)],
  )
const slave = (slaveId: number, over: Record<string, number> = {}) =>
  modbusSlaveOptionsSchema.parse({ slaveId, ...over })

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

  it('reads only configured addresses unless the slave allows a gap', () => {
    // The device: holding registers {0, 1, 10, 11}; channels at 1 and 10.
    const regs = [reg({ slaveId: 3, address: 1 }), reg({ slaveId: 3, address: 10 })]
    expect(shape(regs).map(([d]) => d)).toEqual(['slave 3 holding 1..1', 'slave 3 holding 10..10'])
    const options = { slaves: [slave(3, { maxGap: 8 })] }
    expect(shape(regs, options).map(([d]) => d)).toEqual(['slave 3 holding 1..10'])
    // Another slave's options change nothing here.
    expect(shape(regs, { slaves: [slave(4, { maxGap: 8 })] })).toHaveLength(2)
  })

  it('keeps each slave within its own request size', () => {
    const regs = Array.from({ length: 40 }, (_, i) => reg({ address: i }))
    const bits = Array.from({ length: 40 }, (_, i) => reg({ function: 'coil', address: i }))
    const options = { slaves: [slave(1, { maxRegisters: 16, maxBits: 32 })] }
    expect(planReads(regs, options).map((r) => r.count)).toEqual([16, 16, 8])
    expect(planReads(bits, options).map((r) => r.count)).toEqual([32, 8])
  })

  it('leaves out what the device taught: missing registers, holes, a smaller size', () => {
    const regs = [0, 1, 2, 3, 5, 6].map((address) => reg({ address, id: `h${address}` }))
    const map = new DeviceMap()
    const gap = { slaves: [slave(1, { maxGap: 4 })], map }
    expect(shape(regs, gap).map(([d]) => d)).toEqual(['slave 1 holding 0..6'])
    map.addHoles(1, 'holding', [4])
    expect(shape(regs, gap).map(([d]) => d)).toEqual([
      'slave 1 holding 0..3',
      'slave 1 holding 5..6',
    ])
    const [only] = planReads([regs[1] as ModbusRegister], { map })
    map.refused(only ?? { slaveId: 1, fn: 'holding', start: 1, count: 1, items: [] }, 2, 0)
    expect(shape(regs, gap)).toEqual([
      ['slave 1 holding 0..0', [0]],
      ['slave 1 holding 2..3', [0, 1]],
      ['slave 1 holding 5..6', [0, 1]],
    ])
    map.limit(1, 'holding', 1)
    expect(planReads(regs, gap).map((r) => r.count)).toEqual([1, 1, 1, 1, 1])
  })

  it('serves the same register twice from one read', () => {
    expect(shape([reg({ address: 4 }), reg({ address: 4, type: 'int16' })])).toEqual([
      ['slave 1 holding 4..4', [0, 0]],
    ])
  })
})
