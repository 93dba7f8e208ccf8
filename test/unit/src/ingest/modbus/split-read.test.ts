import { describe, expect, it } from 'vitest'
import { modbusRegisterSchema, type ModbusRegister } from '../../../../../src/contract'
import { describeRead, planReads } from '../../../../../src/ingest/modbus/poll-plan'
import { splitRead } from '../../../../../src/ingest/modbus/split-read'

const reg = (address: number, over: Partial<ModbusRegister> = {}): ModbusRegister =>
  modbusRegisterSchema.parse({
    id: `r${address}${over.type ?? ''}`,
    name: 'r',
    slaveId: 1,
    function: 'holding',
    address,
    ...over,
  })
const oneRead = (regs: ModbusRegister[]) => {
  const [read] = planReads(regs, { maxGap: 100 })
  if (!read) throw new Error('no read')
  return read
}
const describe_ = (regs: ModbusRegister[]) => {
  const { pieces, holes } = splitRead(oneRead(regs))
  return { pieces: pieces.map(describeRead), holes }
}

describe('splitting a refused read', () => {
  it('splits at unused addresses first, naming them', () => {
    expect(describe_([reg(1), reg(10)])).toEqual({
      pieces: ['slave 1 holding 1..1', 'slave 1 holding 10..10'],
      holes: [2, 3, 4, 5, 6, 7, 8, 9],
    })
    expect(describe_([reg(0), reg(1), reg(2), reg(5, { type: 'float32' })])).toEqual({
      pieces: ['slave 1 holding 0..2', 'slave 1 holding 5..6'],
      holes: [3, 4],
    })
  })

  it('cuts a run without gaps near its middle, never through a value', () => {
    const run = Array.from({ length: 8 }, (_, i) => reg(i))
    expect(describe_(run)).toEqual({
      pieces: ['slave 1 holding 0..3', 'slave 1 holding 4..7'],
      holes: [],
    })
    // 0..1 float, 2..3 float, 4 uint16: the only cuts are at 2 and 4.
    const floats = [reg(0, { type: 'float32' }), reg(2, { type: 'float32' }), reg(4)]
    expect(describe_(floats).pieces).toEqual(['slave 1 holding 0..1', 'slave 1 holding 2..4'])
  })

  it('keeps the indexes of the values within each piece', () => {
    const { pieces } = splitRead(oneRead([reg(3), reg(4), reg(4, { type: 'int16' }), reg(9)]))
    expect(pieces.map((p) => p.items.map((i) => [i.register.id, i.index]))).toEqual([
      [
        ['r3', 0],
        ['r4', 1],
        ['r4int16', 1],
      ],
      [['r9', 0]],
    ])
  })

  it('cannot split one value, or values on the same address', () => {
    expect(splitRead(oneRead([reg(7, { type: 'uint32' })])).pieces).toEqual([])
    expect(splitRead(oneRead([reg(7), reg(7, { type: 'int16' })])).pieces).toEqual([])
    // Overlapping 32-bit values leave no place to cut either.
    expect(
      splitRead(oneRead([reg(0, { type: 'float32' }), reg(1, { type: 'float32' })])).pieces,
    ).toEqual([])
  })
})
