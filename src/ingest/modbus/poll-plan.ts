import {
  MODBUS_MAX_BITS,
  MODBUS_MAX_REGISTERS,
  type ModbusRegister,
  type ModbusSlaveOptions,
} from '../../contract'
import { registerSpan, wireAddress } from './decode'
import type { ModbusFunction, ReadRequest } from './rtu-frame'

/** Where one configured register sits inside a planned read. */
export interface PlannedItem {
  register: ModbusRegister
  /** Register (or bit) index within the read's answer. */
  index: number
}

export interface PlannedRead extends ReadRequest {
  items: PlannedItem[]
}

/** What was learned about a device's map by asking it (see DeviceMap). */
export interface MapKnowledge {
  /** A configured register the device refused on its own: it is left out. */
  isAbsent(sensorId: string): boolean
  /** An unused address a refused read spanned: no read may span it again. */
  isHole(slaveId: number, fn: ModbusFunction, wire: number): boolean
  /** The largest request the device answered here, when it refused a larger one. */
  maxCount(slaveId: number, fn: ModbusFunction): number | null
}

export interface PlanOptions {
  /** Per-slave gap and size limits; a slave without an entry gets the defaults. */
  slaves?: readonly ModbusSlaveOptions[]
  /** The gap for slaves without options: 0 reads only configured addresses. */
  maxGap?: number
  map?: MapKnowledge
}

export const isBitFunction = (fn: ModbusFunction): boolean => fn === 'coil' || fn === 'discrete'

/** Registers (or bits) a configured value spans on the wire. */
export function spanOf(reg: ModbusRegister): number {
  return isBitFunction(reg.function) ? 1 : registerSpan(reg.type)
}

/**
 * Groups registers per slave and function into as few read requests as the device allows:
 * each request is a round trip on a half-duplex bus, so fewer, longer reads poll faster.
 * Contiguous values are always joined; unused addresses are read through only up to the slave's
 * `maxGap`, and never across a hole the device refused before. Requests respect the slave's
 * `maxRegisters`/`maxBits` and any smaller size the device taught us, come out ordered by
 * slave, function and address, and leave out registers the device does not have. Throws
 * ModbusConfigError for an impossible address.
 */
export function planReads(
  registers: readonly ModbusRegister[],
  opts: PlanOptions = {},
): PlannedRead[] {
  const options = new Map((opts.slaves ?? []).map((s) => [s.slaveId, s]))
  const groups = new Map<string, { reg: ModbusRegister; start: number; span: number }[]>()
  for (const reg of registers) {
    const start = wireAddress(reg)
    if (opts.map?.isAbsent(reg.id)) continue
    const key = `${String(reg.slaveId).padStart(3, '0')}:${reg.function}`
    const list = groups.get(key) ?? []
    list.push({ reg, start, span: spanOf(reg) })
    groups.set(key, list)
  }
  const reads: PlannedRead[] = []
  for (const key of [...groups.keys()].sort()) {
    const list = (groups.get(key) ?? []).sort((a, b) => a.start - b.start)
    const first = list[0]
    if (!first) continue
    const { slaveId, function: fn } = first.reg
    const slave = options.get(slaveId)
    const maxGap = slave?.maxGap ?? opts.maxGap ?? 0
    const spec = isBitFunction(fn) ? MODBUS_MAX_BITS : MODBUS_MAX_REGISTERS
    const configured = isBitFunction(fn) ? slave?.maxBits : slave?.maxRegisters
    const limit = Math.min(spec, configured ?? spec, opts.map?.maxCount(slaveId, fn) ?? spec)
    const spansHole = (from: number, to: number) => {
      for (let a = from; a < to; a++) if (opts.map?.isHole(slaveId, fn, a)) return true
      return false
    }
    let cur: PlannedRead | null = null
    for (const { reg, start, span } of list) {
      const end = start + span // exclusive
      const curEnd: number = cur ? cur.start + cur.count : 0
      const joins =
        cur !== null &&
        start - curEnd <= maxGap &&
        Math.max(end, curEnd) - cur.start <= limit &&
        !spansHole(curEnd, start)
      if (cur && joins) {
        cur.count = Math.max(end, curEnd) - cur.start
      } else {
        cur = { slaveId, fn, start, count: span, items: [] }
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
