import type { Channel } from '../../contract'
import { excerpt, type LineErrorLog } from '../lines/line-errors'
import type { Sample } from '../sample'

/** The error kind this module adds to the ones `parseLine` counts. */
export const OUT_OF_RANGE = 'out-of-range'

/**
 * Turns parsed raw readings into engineering values (`raw * scale + offset`) and drops values
 * outside a channel's expected range. The line parser knows nothing about channels, so the
 * out-of-range count lives here, beside a `LineErrorLog`, and `errorCounts` merges the two.
 * Shared by the file sources and the serial source.
 */
export class ChannelValues {
  private readonly byId: Map<string, Channel>
  /** Lines with at least one value outside its channel's expected range. */
  outOfRange = 0
  private readonly recentExcerpts: string[] = []

  constructor(
    channels: readonly Channel[],
    private readonly keep = 10,
  ) {
    this.byId = new Map(channels.map((c) => [c.id, c]))
  }

  /**
   * Scales the samples of one line and drops those out of range (counted once per line, as the
   * parser counts its own problems). Samples of sensors no channel describes are dropped too:
   * only channels become sensors, so nothing could store them.
   */
  apply(samples: readonly Sample[], line: string): Sample[] {
    const out: Sample[] = []
    let bad = false
    for (const s of samples) {
      const c = this.byId.get(s.sensorId)
      if (!c) continue
      const value = s.value * c.scale + c.offset
      if (
        (c.expectedMin !== null && value < c.expectedMin) ||
        (c.expectedMax !== null && value > c.expectedMax)
      ) {
        bad = true
        continue
      }
      out.push({ sensorId: s.sensorId, t: s.t, value })
    }
    if (bad) {
      this.outOfRange++
      this.recentExcerpts.push(excerpt(line))
      if (this.recentExcerpts.length > this.keep) this.recentExcerpts.shift()
    }
    return out
  }

  /** The last out-of-range lines, for the Sources page. */
  recent(): { kind: string; excerpt: string }[] {
    return this.recentExcerpts.map((e) => ({ kind: OUT_OF_RANGE, excerpt: e }))
  }
}

/** Bad input by kind, the parser's and the range check's together; kinds never seen are left out. */
export function errorCounts(lines: LineErrorLog, values: ChannelValues): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const [kind, n] of Object.entries(lines.counts)) if (n > 0) counts[kind] = n
  if (values.outOfRange > 0) counts[OUT_OF_RANGE] = values.outOfRange
  return counts
}
