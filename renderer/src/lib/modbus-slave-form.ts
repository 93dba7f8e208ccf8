import type { ModbusSlaveOptions } from '@vigil/contract'
import { WHOLE, type NumberReader } from './form-fields'

/** One slave's request options as typed. */
export interface SlaveOptionsRow {
  maxGap: string
  maxRegisters: string
  maxBits: string
}

/** The defaults of the contract: read only configured addresses, the spec's request sizes. */
export const DEFAULT_SLAVE_OPTIONS: Readonly<SlaveOptionsRow> = {
  maxGap: '0',
  maxRegisters: '125',
  maxBits: '2000',
}

export const SLAVE_OPTION_FIELDS = ['maxGap', 'maxRegisters', 'maxBits'] as const

/** The slave ids the register rows name (whole numbers only), in order. */
export function slaveIdsOf(registers: readonly { slaveId: string }[]): number[] {
  const ids = registers.filter((r) => WHOLE.test(r.slaveId)).map((r) => Number(r.slaveId))
  return [...new Set(ids)].sort((a, b) => a - b)
}

/** The typed options by slave id, from a saved source. */
export function slaveOptionsFromConfig(
  slaves: readonly ModbusSlaveOptions[],
): Record<string, SlaveOptionsRow> {
  return Object.fromEntries(
    slaves.map((s) => [
      String(s.slaveId),
      {
        maxGap: String(s.maxGap),
        maxRegisters: String(s.maxRegisters),
        maxBits: String(s.maxBits),
      },
    ]),
  )
}

/** The row shown for a slave: what was typed, else the defaults. */
export function slaveRow(
  options: Record<string, SlaveOptionsRow>,
  slaveId: number,
): SlaveOptionsRow {
  return options[String(slaveId)] ?? { ...DEFAULT_SLAVE_OPTIONS }
}

const isDefault = (row: SlaveOptionsRow) =>
  SLAVE_OPTION_FIELDS.every((f) => row[f].trim() === DEFAULT_SLAVE_OPTIONS[f])

/** The slaves whose options differ from the defaults, in the order they are sent. */
function changedSlaves(
  registers: readonly { slaveId: string }[],
  options: Record<string, SlaveOptionsRow>,
): number[] {
  return slaveIdsOf(registers).filter((id) => !isDefault(slaveRow(options, id)))
}

/**
 * The options to send: one entry per slave of the registers whose options are not the
 * defaults. Form errors are keyed by slave id (`slaves.3.maxGap`).
 */
export function readSlaveOptions(
  r: NumberReader,
  registers: readonly { slaveId: string }[],
  options: Record<string, SlaveOptionsRow>,
): ModbusSlaveOptions[] {
  return changedSlaves(registers, options).map((slaveId) => {
    const row = slaveRow(options, slaveId)
    return {
      slaveId,
      maxGap: r.whole(`slaves.${slaveId}.maxGap`, row.maxGap),
      maxRegisters: r.whole(`slaves.${slaveId}.maxRegisters`, row.maxRegisters),
      maxBits: r.whole(`slaves.${slaveId}.maxBits`, row.maxBits),
    }
  })
}

/** The host names an entry by its index in what was sent; the form by its slave id. */
export function slaveFieldOfPath(
  path: string,
  registers: readonly { slaveId: string }[],
  options: Record<string, SlaveOptionsRow>,
): string {
  const [, index, field] = path.split('.')
  const slaveId = changedSlaves(registers, options)[Number(index)]
  return slaveId === undefined || !field ? 'slaves' : `slaves.${slaveId}.${field}`
}
