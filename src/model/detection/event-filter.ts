/**
 * From scores to detections: a moving average over `smoothing` samples, then a detection only
 * once the smoothed score has stayed above the threshold for `minDuration` samples. The
 * detection is backdated to the first of those samples and lasts until the smoothed score is no
 * longer above the threshold. A streaming class (live use, O(1) per sample) and a batch helper
 * that give the same result.
 */

export interface EventFilterSettings {
  threshold: number
  /** Samples in the trailing moving average (1 = no smoothing). */
  smoothing: number
  /** Consecutive smoothed samples above the threshold before a detection counts. */
  minDuration: number
}

/** One detection: samples [start, end). `end` is the sample count when still open at the end. */
export interface DetectedEvent {
  start: number
  end: number
}

/**
 * Trailing moving average over the last `size` samples (fewer at the start); non-finite scores
 * are left out of it, and it is NaN while the window holds none. The running sum is recomputed
 * each time the window wraps so rounding cannot drift over a long live run.
 */
export class MovingAverage {
  private readonly ring: Float64Array
  private readonly finite: Uint8Array
  private pos = 0
  private filled = 0
  private sum = 0
  private count = 0

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`smoothing must be ≥ 1, not ${size}`)
    this.ring = new Float64Array(size)
    this.finite = new Uint8Array(size)
  }

  push(x: number): number {
    const ok = Number.isFinite(x)
    if (this.filled === this.size && this.finite[this.pos]) {
      this.sum -= this.ring[this.pos]!
      this.count--
    }
    this.ring[this.pos] = ok ? x : 0
    this.finite[this.pos] = ok ? 1 : 0
    if (ok) {
      this.sum += x
      this.count++
    }
    this.filled = Math.min(this.size, this.filled + 1)
    this.pos = (this.pos + 1) % this.size
    if (this.pos === 0) {
      let s = 0
      for (let i = 0; i < this.size; i++) s += this.ring[i]!
      this.sum = s
    }
    return this.count > 0 ? this.sum / this.count : NaN
  }

  reset(): void {
    this.ring.fill(0)
    this.finite.fill(0)
    this.pos = this.filled = this.sum = this.count = 0
  }
}

/** The moving average of a whole series, as MovingAverage computes it sample by sample. */
export function movingAverage(scores: ArrayLike<number>, size: number): Float64Array {
  const ma = new MovingAverage(size)
  const out = new Float64Array(scores.length)
  for (let i = 0; i < scores.length; i++) out[i] = ma.push(scores[i]!)
  return out
}

/** What the filter says after one sample. */
export interface FilterStep {
  /** Index of this sample since the start (or the last reset). */
  index: number
  smoothed: number
  /** Whether a detection is in progress at this sample. */
  anomalous: boolean
  /**
   * Set on the sample that confirms a detection: the index where it is backdated to start. The
   * samples from there to this one belong to the detection.
   */
  startedAt: number | null
  /** True on the first sample after a detection that is no longer part of it. */
  ended: boolean
}

function checkSettings(s: EventFilterSettings): void {
  if (!Number.isInteger(s.minDuration) || s.minDuration < 1) {
    throw new Error(`minDuration must be a whole number ≥ 1, not ${s.minDuration}`)
  }
  if (Number.isNaN(s.threshold)) throw new Error('the threshold is not a number')
}

/** The live filter: push one score at a time. */
export class EventFilter {
  private readonly ma: MovingAverage
  private index = 0
  private run = 0
  private inEvent = false

  constructor(readonly settings: EventFilterSettings) {
    checkSettings(settings)
    this.ma = new MovingAverage(settings.smoothing)
  }

  push(score: number): FilterStep {
    const index = this.index++
    const smoothed = this.ma.push(score)
    const above = smoothed > this.settings.threshold
    this.run = above ? this.run + 1 : 0
    let startedAt: number | null = null
    let ended = false
    if (this.inEvent && !above) {
      this.inEvent = false
      ended = true
    } else if (!this.inEvent && this.run >= this.settings.minDuration) {
      this.inEvent = true
      startedAt = index - this.run + 1
    }
    return { index, smoothed, anomalous: this.inEvent, startedAt, ended }
  }

  reset(): void {
    this.ma.reset()
    this.index = this.run = 0
    this.inEvent = false
  }
}

export interface FilterResult {
  smoothed: Float64Array
  /** 1 for every sample inside a detection (backdated). */
  anomalous: Uint8Array
  events: DetectedEvent[]
}

/**
 * The filter over a whole series: every run of consecutive smoothed scores above the threshold
 * that is at least `minDuration` long is one detection, start to end.
 */
export function detectEvents(
  scores: ArrayLike<number>,
  settings: EventFilterSettings,
): FilterResult {
  checkSettings(settings)
  const smoothed = movingAverage(scores, settings.smoothing)
  const n = smoothed.length
  const anomalous = new Uint8Array(n)
  const events: DetectedEvent[] = []
  let i = 0
  while (i < n) {
    if (!(smoothed[i]! > settings.threshold)) {
      i++
      continue
    }
    let j = i
    while (j < n && smoothed[j]! > settings.threshold) j++
    if (j - i >= settings.minDuration) {
      anomalous.fill(1, i, j)
      events.push({ start: i, end: j })
    }
    i = j
  }
  return { smoothed, anomalous, events }
}
