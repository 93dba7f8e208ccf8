import type { AlarmPriority, AlarmsEvent, AlarmView, Sensor } from '../../src/contract'

/** Shows one native notification; `onClick` runs when the operator clicks it. */
export type NotifyFn = (title: string, body: string, onClick: () => void) => void

/** A cancellable one-shot timer (setTimeout by default; a fake one in tests). */
export type ScheduleFn = (run: () => void, ms: number) => () => void

export interface AlarmNotifierOptions {
  notify: NotifyFn
  /** What clicking a notification does (show the window on the alarms page). */
  onClick: () => void
  /** Unit and decimals of a limit alarm's sensor, for the value. */
  sensor?: (id: string) => Pick<Sensor, 'unit' | 'decimals'> | undefined
  now?: () => number
  schedule?: ScheduleFn
  /** At most one notification per this many ms; what comes in between is summarised. */
  minIntervalMs?: number
}

/** Priorities worth interrupting the operator's desktop for. */
const NOTIFIED: ReadonlySet<AlarmPriority> = new Set(['critical', 'high'])
const RANK: Record<AlarmPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 }
const LABEL: Record<AlarmPriority, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
}

export const DEFAULT_MIN_INTERVAL_MS = 5000

const defaultSchedule: ScheduleFn = (run, ms) => {
  const timer = setTimeout(run, ms)
  return () => clearTimeout(timer)
}

/**
 * Decides which alarms deserve a native notification: a critical or high alarm that has just
 * activated (unacknowledged, an activation not notified before). Acknowledgements, clears and
 * views sent again never notify; a re-activation after a clear does. An alarm flood produces at
 * most one notification per `minIntervalMs`: the most urgent alarm, "and N more alarms".
 */
export class AlarmNotifier {
  /** The activation (activatedAt) last notified or queued, per alarm. */
  private readonly notified = new Map<string, number>()
  /** Activations waiting for the rate limit, by alarm id. */
  private readonly pending = new Map<string, AlarmView>()
  private lastShownAt = -Infinity
  private cancelFlush: (() => void) | null = null
  private readonly minIntervalMs: number
  private readonly now: () => number
  private readonly schedule: ScheduleFn

  constructor(private readonly o: AlarmNotifierOptions) {
    this.minIntervalMs = o.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS
    this.now = o.now ?? Date.now
    this.schedule = o.schedule ?? defaultSchedule
  }

  /** Takes one `alarms` event from the monitor. */
  onEvent(event: AlarmsEvent): void {
    for (const id of event.removed) {
      this.notified.delete(id)
      this.pending.delete(id)
    }
    for (const view of event.changed) {
      if (isFreshActivation(view, this.notified.get(view.id))) {
        this.notified.set(view.id, view.activatedAt ?? 0)
        this.pending.set(view.id, view)
      } else if (this.pending.has(view.id) && view.state !== 'unacked') {
        // Acknowledged, cleared or hidden before its turn came: nothing left to announce.
        this.pending.delete(view.id)
      }
    }
    if (this.pending.size === 0) return
    const wait = this.lastShownAt + this.minIntervalMs - this.now()
    if (wait <= 0) this.flush()
    else this.cancelFlush ??= this.schedule(() => this.flush(), wait)
  }

  /** Forgets the pending summary (on quit). */
  dispose(): void {
    this.cancelFlush?.()
    this.cancelFlush = null
    this.pending.clear()
  }

  private flush(): void {
    this.cancelFlush?.()
    this.cancelFlush = null
    const waiting = [...this.pending.values()].sort(byUrgency)
    this.pending.clear()
    const top = waiting[0]
    if (!top) return
    this.lastShownAt = this.now()
    const more = waiting.length - 1
    const title = `${LABEL[top.definition.priority]} alarm: ${top.definition.name}`
    const body =
      more > 0
        ? `${this.describe(top)}, and ${more} more alarm${more === 1 ? '' : 's'}`
        : this.describe(top)
    this.o.notify(title, body, this.o.onClick)
  }

  /** The alarm's value at activation, in words. */
  private describe(view: AlarmView): string {
    const d = view.definition
    const v = view.value
    if (d.kind === 'limit') {
      const sensor = this.o.sensor?.(d.sensorId)
      const unit = sensor?.unit ? ` ${sensor.unit}` : ''
      const value = v === null ? 'unknown' : `${formatNumber(v, sensor?.decimals)}${unit}`
      const side = d.level.startsWith('H') ? 'above' : 'below'
      return `${d.sensorId} at ${value}, ${side} the ${d.level} limit ${formatNumber(d.limit, sensor?.decimals)}${unit}`
    }
    if (d.kind === 'model') {
      return v === null ? 'Anomaly score above threshold' : `Anomaly score ${formatNumber(v)}`
    }
    if (d.condition === 'disconnected') return `Source ${d.sourceId} disconnected`
    return v === null
      ? `No new data from ${d.sourceId}`
      : `No new data from ${d.sourceId} for ${Math.round(v / 1000)} s`
  }
}

/** Unacknowledged, critical or high, and an activation not notified (or queued) before. */
function isFreshActivation(view: AlarmView, lastNotified: number | undefined): boolean {
  return (
    view.state === 'unacked' &&
    NOTIFIED.has(view.definition.priority) &&
    view.activatedAt !== null &&
    view.activatedAt !== lastNotified
  )
}

/** Most urgent priority first, then the newest activation. */
function byUrgency(a: AlarmView, b: AlarmView): number {
  const rank = RANK[a.definition.priority] - RANK[b.definition.priority]
  return rank !== 0 ? rank : (b.activatedAt ?? 0) - (a.activatedAt ?? 0)
}

function formatNumber(v: number, decimals?: number): string {
  if (decimals !== undefined) return v.toFixed(decimals)
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(4)))
}
