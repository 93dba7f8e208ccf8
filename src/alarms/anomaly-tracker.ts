import type { AnomalyEvent, Contributor } from '../contract'

/** Where anomaly events are kept (the historian's alarm store). */
export interface AnomalyEventStore {
  insertEvent(e: Omit<AnomalyEvent, 'id'>): number
  updateEvent(e: AnomalyEvent): void
  event(id: number): AnomalyEvent | null
}

/** Ranks sensors by their accumulated share of the error, largest first. */
export function rankContributors(
  sensorIds: readonly string[],
  sums: ArrayLike<number>,
): Contributor[] {
  let total = 0
  for (let j = 0; j < sensorIds.length; j++) total += sums[j] ?? 0
  const ranked = sensorIds.map((sensorId, j) => ({
    sensorId,
    share: total > 0 ? (sums[j] ?? 0) / total : 0,
  }))
  ranked.sort((a, b) => b.share - a.share || a.sensorId.localeCompare(b.sensorId))
  return ranked
}

interface OpenEvent {
  event: AnomalyEvent
  sensorIds: string[]
  /** Contributions summed over the event, each moment weighted by its score. */
  sums: Float64Array
  dirty: boolean
}

/**
 * Groups a model alarm's activation into one anomaly event: start, end, peak score and the
 * sensors ranked by their share of the error over the whole event.
 */
export class AnomalyTracker {
  private open: OpenEvent | null = null

  constructor(private readonly store: AnomalyEventStore) {}

  /** After a restart: carry on with an event that was still open. */
  resume(eventId: number | null): void {
    if (eventId === null) return
    const event = this.store.event(eventId)
    if (!event || event.end !== null) return
    const sensorIds = event.contributors.map((c) => c.sensorId)
    const sums = Float64Array.from(event.contributors.map((c) => c.share * event.peakScore))
    this.open = { event, sensorIds, sums, dirty: false }
  }

  get openEventId(): number | null {
    return this.open?.event.id ?? null
  }

  start(
    t: number,
    modelId: number,
    alarmId: string,
    sensorIds: readonly string[],
    threshold: number,
  ): number {
    if (this.open) this.end(t)
    const base = {
      alarmId,
      modelId,
      start: t,
      end: null,
      peakScore: 0,
      peakAt: t,
      threshold,
      contributors: sensorIds.map((sensorId) => ({ sensorId, share: 0 })),
    }
    const id = this.store.insertEvent(base)
    this.open = {
      event: { id, ...base },
      sensorIds: [...sensorIds],
      sums: new Float64Array(sensorIds.length),
      dirty: false,
    }
    return id
  }

  /** One scored moment while the event is open. */
  observe(t: number, score: number, contributions: readonly number[], threshold: number): void {
    const o = this.open
    if (!o) return
    if (score > o.event.peakScore) {
      o.event.peakScore = score
      o.event.peakAt = t
      o.event.threshold = threshold
    }
    const w = Math.max(score, 0)
    for (let j = 0; j < o.sums.length; j++)
      o.sums[j] = (o.sums[j] ?? 0) + w * (contributions[j] ?? 0)
    o.dirty = true
  }

  /** The ranking so far, for the alarm's view. */
  contributors(): Contributor[] {
    const o = this.open
    return o ? rankContributors(o.sensorIds, o.sums) : []
  }

  end(t: number): void {
    const o = this.open
    if (!o) return
    o.event.end = Math.max(t, o.event.start)
    o.dirty = true
    this.persist()
    this.open = null
  }

  /** Writes the open event's peak and ranking if they changed (call inside a transaction). */
  persist(): void {
    const o = this.open
    if (!o || !o.dirty) return
    o.event.contributors = rankContributors(o.sensorIds, o.sums)
    this.store.updateEvent(o.event)
    o.dirty = false
  }
}
