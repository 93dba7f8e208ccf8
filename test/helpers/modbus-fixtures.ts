import type { ModbusRegister } from '../../src/contract'
import { place, wordsFor, type SlaveMap } from './rtu-device'

type Type = ModbusRegister['type']
type Order = ModbusRegister['wordOrder']

/** A register as a test configures it (the schema fills in the rest). */
export type RegisterInput = Record<string, unknown> & { id: string }

/**
 * One holding register per type in every word and byte order, packed from wire address 0 of
 * `slaveId`, numbered from `addressBase` as a manual would: the registers to configure, the
 * device's map, and the value each must read.
 */
export function everyTypeAndOrder(
  slaveId: number,
  addressBase: 0 | 1,
): { registers: RegisterInput[]; map: SlaveMap; expected: Map<string, number>; words: number } {
  const holding: Record<number, number> = {}
  const registers: RegisterInput[] = []
  const expected = new Map<string, number>()
  let wire = 0
  const values: [Type, number][] = [
    ['int16', -1234],
    ['uint16', 54_321],
    ['int32', -123_456_789],
    ['uint32', 3_000_000_000],
    ['float32', -12.5],
  ]
  for (const [type, value] of values) {
    const wordOrders: Order[] = type === 'int16' || type === 'uint16' ? ['big'] : ['big', 'little']
    for (const wordOrder of wordOrders) {
      for (const byteOrder of ['big', 'little'] as const) {
        const id = `s${slaveId}.${type}.${wordOrder}.${byteOrder}`
        const words = wordsFor(type, value, wordOrder, byteOrder)
        place(holding, wire, words)
        registers.push({
          id,
          name: id,
          slaveId,
          function: 'holding',
          address: wire + addressBase,
          addressBase,
          type,
          wordOrder,
          byteOrder,
        })
        expected.set(id, value)
        wire += words.length
      }
    }
  }
  return { registers, map: { holding }, expected, words: wire }
}
