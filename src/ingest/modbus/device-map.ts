import type { ConfigError } from '../../contract'
import type { MapKnowledge, PlannedRead } from './poll-plan'
import type { ModbusFunction } from './rtu-frame'

/**
 * What one source learned about its devices' register maps by asking them: configured
 * registers a device does not have, unused addresses a read may not span, and a smaller
 * request size than the spec's. Kept while the source runs (a saved or restarted source asks
 * afresh), so a refused read costs one cycle of splitting and the next cycles read only what
 * exists. `version` changes with every lesson, so the plan is rebuilt only then.
 */
export class DeviceMap implements MapKnowledge {
  version = 0
  private readonly absent = new Map<string, ConfigError>()
  private readonly holes = new Set<string>()
  private readonly limits = new Map<string, number>()

  isAbsent(sensorId: string): boolean {
    return this.absent.has(sensorId)
  }

  isHole(slaveId: number, fn: ModbusFunction, wire: number): boolean {
    return this.holes.has(`${slaveId}:${fn}:${wire}`)
  }

  maxCount(slaveId: number, fn: ModbusFunction): number | null {
    return this.limits.get(`${slaveId}:${fn}`) ?? null
  }

  /** Why a configured register is left out; undefined while it is read. */
  errorOf(sensorId: string): ConfigError | undefined {
    return this.absent.get(sensorId)
  }

  /** How many configured registers were found missing so far. */
  get absentCount(): number {
    return this.absent.size
  }

  /**
   * The device refused `read`, a single value, with `exception`: its registers are missing, and
   * no other read may span its addresses either.
   */
  refused(read: PlannedRead, exception: number, at: number): ConfigError[] {
    for (let a = read.start; a < read.start + read.count; a++) {
      this.holes.add(`${read.slaveId}:${read.fn}:${a}`)
    }
    const found: ConfigError[] = []
    for (const { register: r, index } of read.items) {
      if (this.absent.has(r.id)) continue
      const error: ConfigError = {
        sensorId: r.id,
        slaveId: r.slaveId,
        function: r.function,
        address: r.address,
        addressBase: r.addressBase,
        wireAddress: read.start + index,
        exception,
        at,
      }
      this.absent.set(r.id, error)
      found.push(error)
    }
    if (found.length) this.version++
    return found
  }

  /** A refused read spanned these unused addresses: never read across them again. */
  addHoles(slaveId: number, fn: ModbusFunction, addresses: readonly number[]): void {
    for (const a of addresses) this.holes.add(`${slaveId}:${fn}:${a}`)
    if (addresses.length) this.version++
  }

  /** A larger read was refused although every value in it exists: ask for at most this many. */
  limit(slaveId: number, fn: ModbusFunction, answeredCount: number): void {
    const key = `${slaveId}:${fn}`
    const known = this.limits.get(key)
    if (known !== undefined && known <= answeredCount) return
    this.limits.set(key, answeredCount)
    this.version++
  }

  /** The configured registers the devices refused, oldest first. */
  configErrors(): ConfigError[] {
    return [...this.absent.values()].map((e) => ({ ...e }))
  }
}
