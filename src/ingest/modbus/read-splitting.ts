import type { Outcome } from './modbus-bus'
import type { DeviceMap } from './device-map'
import type { PlannedRead } from './poll-plan'
import type { ReadRequest } from './rtu-frame'
import { splitRead } from './split-read'

/** Exceptions that say "not like this": 2 (illegal data address), 3 (illegal data value). */
const REFUSALS = new Set([2, 3])

/** True when `outcome` is the device refusing the addresses or size of a read. */
export const isRefusal = (outcome: Outcome): outcome is { kind: 'exception'; code: number } =>
  outcome.kind === 'exception' && REFUSALS.has(outcome.code)

export interface SplittingDeps {
  bus: { request(req: ReadRequest): Promise<Outcome> }
  map: DeviceMap
  now: () => number
}

/**
 * Reads `read`, and when the device refuses it (exception 2 or 3) reads its parts instead
 * (splitRead), recording what that teaches in the device map: the unused addresses the read
 * spanned, a size limit when every part was answered, and a value refused on its own as a
 * missing register. `visit` gets every final outcome with the read it answers, a lone refused
 * value included (`alone`), so an absent register costs only itself. Stops at a port failure
 * and returns it.
 */
export async function readSplitting(
  read: PlannedRead,
  deps: SplittingDeps,
  visit: (read: PlannedRead, outcome: Outcome, alone: boolean) => void,
): Promise<Extract<Outcome, { kind: 'port' }> | null> {
  const outcome = await deps.bus.request(read)
  if (outcome.kind === 'port') return outcome
  if (!isRefusal(outcome)) {
    visit(read, outcome, false)
    return null
  }
  const { pieces, holes } = splitRead(read)
  if (pieces.length === 0) {
    deps.map.refused(read, outcome.code, deps.now())
    visit(read, outcome, true)
    return null
  }
  deps.map.addHoles(read.slaveId, read.fn, holes)
  let allRead = true
  const note = (r: PlannedRead, o: Outcome, lone: boolean) => {
    allRead &&= o.kind === 'ok'
    visit(r, o, lone)
  }
  for (const piece of pieces) {
    const failed = await readSplitting(piece, deps, note)
    if (failed) return failed
  }
  // Every part was read and it spanned no hole: the device refused the size.
  if (holes.length === 0 && allRead) {
    deps.map.limit(read.slaveId, read.fn, Math.max(...pieces.map((p) => p.count)))
  }
  return null
}
