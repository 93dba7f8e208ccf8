/** When a slave counts as not answering, and how often it is asked again then. */
export interface BackoffOptions {
  /** Requests in a row without an answer (after retries) before the slave is set aside. */
  silentAfter: number
  /** The first wait between probes of a slave that does not answer. */
  firstProbeMs: number
  /** The longest wait between probes while other slaves on the line answer. */
  maxProbeMs: number
}

/** The defaults for a line polled with time-outs of `timeoutMs`. */
export function backoffFor(timeoutMs: number): BackoffOptions {
  // A probe of a dead slave costs one time-out; 20 time-outs apart it costs the others at most
  // 5 % of their rate even when a cycle has no idle time to hide it in.
  const firstProbeMs = Math.max(2_000, 20 * timeoutMs)
  return { silentAfter: 3, firstProbeMs, maxProbeMs: Math.max(60_000, firstProbeMs) }
}

interface SlaveState {
  timeoutsInARow: number
  /** When the first of the unanswered requests in a row went out. */
  unansweredSince: number | null
  silentSince: number | null
  probeEveryMs: number
  nextProbeAt: number | null
  lastAnswerAt: number | null
}

/**
 * Which slaves answer. A slave whose requests time out `silentAfter` times in a row is set
 * aside: its reads leave the poll cycle, so its time-outs no longer slow the others, and it is
 * probed with one request at growing intervals (doubling up to `maxProbeMs`) until it answers
 * again. When no slave answers, nobody is slowed by probing, so the interval stops growing.
 */
export class SlaveStates {
  private readonly states = new Map<number, SlaveState>()

  constructor(
    slaveIds: readonly number[],
    private readonly opts: BackoffOptions,
  ) {
    for (const id of [...new Set(slaveIds)].sort((a, b) => a - b)) {
      this.states.set(id, {
        timeoutsInARow: 0,
        unansweredSince: null,
        silentSince: null,
        probeEveryMs: opts.firstProbeMs,
        nextProbeAt: null,
        lastAnswerAt: null,
      })
    }
  }

  /** The slave answered (data, an exception, even a damaged frame). True if it was silent. */
  answered(slaveId: number, now: number): boolean {
    const s = this.states.get(slaveId)
    if (!s) return false
    const was = s.silentSince !== null
    s.timeoutsInARow = 0
    s.unansweredSince = null
    s.silentSince = null
    s.nextProbeAt = null
    s.probeEveryMs = this.opts.firstProbeMs
    s.lastAnswerAt = now
    return was
  }

  /** A request to the slave got no answer. True when this sets it aside. */
  timedOut(slaveId: number, now: number): boolean {
    const s = this.states.get(slaveId)
    if (!s) return false
    if (s.silentSince !== null) {
      // A probe went unanswered: wait longer before the next one.
      const cap = this.allSilent() ? this.opts.firstProbeMs : this.opts.maxProbeMs
      s.probeEveryMs = Math.min(cap, s.probeEveryMs * 2)
      s.nextProbeAt = now + s.probeEveryMs
      return false
    }
    s.timeoutsInARow++
    s.unansweredSince ??= now
    if (s.timeoutsInARow < this.opts.silentAfter) return false
    s.silentSince = s.unansweredSince
    s.nextProbeAt = now + s.probeEveryMs
    return true
  }

  isSilent(slaveId: number): boolean {
    return (this.states.get(slaveId)?.silentSince ?? null) !== null
  }

  /** Silent slaves whose probe is due at `now`, in id order. */
  dueProbes(now: number): number[] {
    return [...this.states]
      .filter(([, s]) => s.nextProbeAt !== null && s.nextProbeAt <= now)
      .map(([id]) => id)
  }

  /** The line came back (a reopened port): ask every silent slave again at the next cycle. */
  probeAllSoon(now: number): void {
    for (const s of this.states.values()) if (s.silentSince !== null) s.nextProbeAt = now
  }

  silentIds(): number[] {
    return [...this.states].filter(([, s]) => s.silentSince !== null).map(([id]) => id)
  }

  allSilent(): boolean {
    return this.states.size > 0 && [...this.states.values()].every((s) => s.silentSince !== null)
  }

  /** The last answer from any slave, or null if none ever answered. */
  lastAnswerAt(): number | null {
    let last: number | null = null
    for (const s of this.states.values()) {
      if (s.lastAnswerAt !== null && (last === null || s.lastAnswerAt > last)) last = s.lastAnswerAt
    }
    return last
  }

  /** For the Sources page: whether it answers, since when not, when it is asked next. */
  of(slaveId: number): {
    answering: boolean
    silentSince: number | null
    nextProbeAt: number | null
  } {
    const s = this.states.get(slaveId)
    return {
      answering: (s?.silentSince ?? null) === null,
      silentSince: s?.silentSince ?? null,
      nextProbeAt: s?.nextProbeAt ?? null,
    }
  }

  ids(): number[] {
    return [...this.states.keys()]
  }
}
