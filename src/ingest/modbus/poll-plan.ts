import type { ModbusRegister } from '../../contract'
import { registerSpan, wireAddress } from './decode'
import type { ReadRequest } from './rtu-frame'

/** Per-request limits from the Modbus spec (FC 03/04: 125 registers; FC 01/02: 2000 bits). */
export const MAX_REGISTERS = 125
export const MAX_BITS = 2000

/** Where one configured register sits inside a planned read. */
export interface PlannedItem {
  register: ModbusRegister
  /** Register (or bit) index within the read's answer. */
  index: number
}

export interface PlannedRead extends ReadRequest {
  items: PlannedItem[]
}

export interface PlanOptions {
  /** Unused registers (or bits) that may be read through to join two ranges. */
  maxGap?: number
}

/**
 * Groups registers per slave and function into as few read requests as possible: each request
 * is a round trip on a half-duplex bus, so fewer, longer reads poll faster. Small gaps are
 * read through (some devices refuse unmapped addresses; `maxGap: 0` turns this off). Requests
 * come out ordered by slave, function and address. Throws ModbusConfigError for an impossible
 * address.
 */
export function planReads(
  registers: readonly ModbusRegister[],
  opts: PlanOptions = {},
): PlannedRead[] {
  const maxGap = opts.maxGap ?? 8
  const groups = new Map<string, { reg: ModbusRegister; start: number; span: number }[]>()
  for (const reg of registers) {
    const isBit = reg.function === 'coil' || reg.function === 'discrete'
    const key = `${String(reg.slaveId).padStart(3, '0')}:${reg.function}`
    const list = groups.get(key) ?? []
    list.push({ reg, start: wireAddress(reg), span: isBit ? 1 : registerSpan(reg.type) })
    groups.set(key, list)
  }
  const reads: PlannedRead[] = []
  for (const key of [...groups.keys()].sort()) {
    const list = (groups.get(key) ?? []).sort((a, b) => a.start - b.start)
    const first = list[0]
    if (!first) continue
    const limit =
      first.reg.function === 'coil' || first.reg.function === 'discrete' ? MAX_BITS : MAX_REGISTERS
    let cur: PlannedRead | null = null
    for (const { reg, start, span } of list) {
      const end = start + span // exclusive
      const curEnd: number = cur ? cur.start + cur.count : 0
      if (cur && start - curEnd <= maxGap && Math.max(end, curEnd) - cur.start <= limit) {
        cur.count = Math.max(end, curEnd) - cur.start
      } else {
        cur = { slaveId: reg.slaveId, fn: reg.function, start, count: span, items: [] }
        reads.push(cur)
      }
      cur.items.push({ register: reg, index: start - cur.start })
    }
  }
  return reads
}

/** A read as a person reads it: `slave 1 holding 0..3` (wire addresses, inclusive). */
export function describeRead(r: ReadRequest): string {
  return `slave ${r.slaveId} ${r.fn} ${r.start}..${r.start + r.count - 1}`
}
