import { spanOf, type PlannedItem, type PlannedRead } from './poll-plan'

/** How a refused read is asked again in parts. */
export interface Split {
  /** The parts to read instead; empty when the read is one value and cannot be split. */
  pieces: PlannedRead[]
  /** Unused addresses the refused read spanned: one of them is likely what the device lacks. */
  holes: number[]
}

interface Placed {
  item: PlannedItem
  start: number
  end: number
}

/**
 * Splits a read the device refused. A read that spans unused addresses is split at them, into
 * runs of configured values, since an unmapped address is the usual reason. A read without such
 * gaps is cut in two near its middle, never through a value, so repeated splits find a missing
 * register in a few requests and everything around it is still read.
 */
export function splitRead(read: PlannedRead): Split {
  const placed: Placed[] = read.items
    .map((item) => {
      const start = read.start + item.index
      return { item, start, end: start + spanOf(item.register) }
    })
    .sort((a, b) => a.start - b.start || a.end - b.end)
  const runs: Placed[][] = []
  let runEnd = -1
  for (const p of placed) {
    const run = runs[runs.length - 1]
    if (run && p.start <= runEnd) run.push(p)
    else runs.push([p])
    runEnd = Math.max(runEnd, p.end)
  }
  const holes: number[] = []
  for (let i = 1; i < runs.length; i++) {
    const from = Math.max(...(runs[i - 1] ?? []).map((p) => p.end))
    const to = runs[i]?.[0]?.start ?? from
    for (let a = from; a < to; a++) holes.push(a)
  }
  if (runs.length > 1) return { pieces: runs.map((run) => readOf(read, run)), holes }
  return { pieces: halves(read, placed), holes }
}

/** The run cut where no value straddles, as near its middle as possible; [] if nowhere. */
function halves(read: PlannedRead, placed: Placed[]): PlannedRead[] {
  const middle = read.start + read.count / 2
  let best: number | null = null
  for (const p of placed) {
    const cut = p.start
    if (cut <= read.start || placed.some((q) => q.start < cut && q.end > cut)) continue
    if (best === null || Math.abs(cut - middle) < Math.abs(best - middle)) best = cut
  }
  if (best === null) return []
  const at = best
  return [
    readOf(
      read,
      placed.filter((p) => p.start < at),
    ),
    readOf(
      read,
      placed.filter((p) => p.start >= at),
    ),
  ]
}

function readOf(read: PlannedRead, placed: Placed[]): PlannedRead {
  const start = Math.min(...placed.map((p) => p.start))
  const end = Math.max(...placed.map((p) => p.end))
  return {
    slaveId: read.slaveId,
    fn: read.fn,
    start,
    count: end - start,
    items: placed.map((p) => ({ register: p.item.register, index: p.start - start })),
  }
}
