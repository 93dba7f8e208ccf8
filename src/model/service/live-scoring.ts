import {
  RAW_SCORE_SENSOR_ID,
  SCORE_SENSOR_ID,
  expectedSensorId,
  type DetectionSettings,
  type ScoreBatch,
} from '../../contract'
import type { Sample } from '../../ingest/sample'
import type { Logger } from '../../log/logger'
import { ScorePipeline } from '../detection/score-pipeline'
import type { ModelWorkerClient } from '../worker/model-worker-client'
import type { WindowScores } from '../worker/protocol'
import { LiveRows } from './live-rows'

export interface LiveModel {
  id: number
  sensorIds: readonly string[]
  periodMs: number
  windowSize: number
  threshold: number
  detection: DetectionSettings
  /** The adapted score's reference (per-sensor validation errors); null scores raw. */
  reference: readonly number[] | null
}

export interface LiveScoringSinks {
  /** Each scored stretch, as the `scores` event. */
  emit: (batch: ScoreBatch) => void
  /** The smoothed scores and the expected values, to be stored like sensor samples. */
  store: (samples: Sample[]) => void
  log: Logger
}

/** A sensor may miss this many rows (e.g. a slow serial device) before its value counts as missing. */
const MAX_HOLD_ROWS = 5

interface Segment {
  /** Up to windowSize-1 rows before the first new one. */
  context: Float32Array[]
  rows: Float32Array[]
  times: number[]
}

/**
 * Scores the live stream with the active model: samples → rows on the model's grid → a window
 * ending at every new row, scored in the worker (one request at a time, in order) → the score
 * pipeline (adapted score, smoothing, minimum duration) → the `scores` event and the stored
 * scores. A stretch of missing data restarts the windows rather than scoring guessed values; the
 * baseline of the adapted score carries on across it.
 */
export class LiveScoring {
  private readonly rows: LiveRows
  private pipeline: ScorePipeline
  private current: Segment = { context: [], rows: [], times: [] }
  private readonly queue: Segment[] = []
  private busy = false
  private stopped = false
  /** Rows scored since activation. */
  scored = 0

  constructor(
    private model: LiveModel,
    private readonly worker: ModelWorkerClient,
    private readonly sinks: LiveScoringSinks,
  ) {
    this.rows = new LiveRows(model.sensorIds, model.periodMs, MAX_HOLD_ROWS, (t, row) =>
      this.onRow(t, row),
    )
    this.pipeline = this.makePipeline()
  }

  get modelId(): number {
    return this.model.id
  }

  push(batch: Parameters<LiveRows['push']>[0]): void {
    if (this.stopped) return
    this.rows.push(batch)
    this.cut(false)
    void this.drain()
  }

  /**
   * New threshold settings take effect from the next row. The baseline starts afresh (from the
   * reference) only when its own settings changed.
   */
  setDetection(threshold: number, detection: DetectionSettings): void {
    const before = this.model.detection
    this.model = { ...this.model, threshold, detection }
    const kept =
      before.adaptive === detection.adaptive &&
      before.baselineMinutes === detection.baselineMinutes &&
      before.maxBaselineRise === detection.maxBaselineRise
    this.pipeline = this.makePipeline(kept ? this.pipeline : null)
  }

  stop(): void {
    this.stopped = true
    this.queue.length = 0
  }

  private makePipeline(keepBaselineOf: ScorePipeline | null = null): ScorePipeline {
    const m = this.model
    return new ScorePipeline(
      {
        threshold: m.threshold,
        detection: m.detection,
        reference: m.reference,
        periodMs: m.periodMs,
      },
      m.sensorIds.length,
      keepBaselineOf,
    )
  }

  private onRow(t: number, row: Float32Array): void {
    if (row.some(Number.isNaN)) {
      this.cut(true)
      return
    }
    this.current.rows.push(row)
    this.current.times.push(t)
  }

  /** Queues the new rows for scoring; `gap`: the next rows do not continue these. */
  private cut(gap: boolean): void {
    const seg = this.current
    const w = this.model.windowSize
    if (seg.rows.length > 0 && seg.context.length + seg.rows.length >= w) this.queue.push(seg)
    const all = [...seg.context, ...seg.rows]
    this.current = {
      context: gap ? [] : all.slice(Math.max(0, all.length - (w - 1))),
      rows: [],
      times: [],
    }
  }

  private async drain(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      for (let seg = this.queue.shift(); seg && !this.stopped; seg = this.queue.shift()) {
        const all = [...seg.context, ...seg.rows]
        const cols = this.model.sensorIds.length
        const values = new Float32Array(all.length * cols)
        all.forEach((r, i) => values.set(r, i * cols))
        try {
          const scores = await this.worker.score(this.model.id, { rows: all.length, cols, values })
          if (!this.stopped) this.publish(seg, scores)
        } catch (err) {
          this.sinks.log.error('live scoring failed', err)
        }
      }
    } finally {
      this.busy = false
    }
  }

  private publish(seg: Segment, s: WindowScores): void {
    // The windows end at the last `count` rows; the first new rows may lack a full window.
    const times = seg.times.slice(seg.times.length - s.count)
    const cols = s.cols
    const batch: ScoreBatch = {
      modelId: this.model.id,
      sensorIds: [...this.model.sensorIds],
      threshold: this.model.threshold,
      t: times,
      score: [],
      adapted: [],
      smoothed: [],
      rawSmoothed: [],
      anomalous: [],
      contributions: [],
      expected: [],
    }
    const stored: Sample[] = []
    const shares = new Float32Array(cols)
    for (let i = 0; i < s.count; i++) {
      const t = times[i] as number
      const step = this.pipeline.push(s, i, shares)
      batch.score.push(step.raw)
      batch.adapted.push(step.adapted)
      batch.smoothed.push(step.smoothed)
      batch.rawSmoothed.push(step.rawSmoothed)
      batch.anomalous.push(step.anomalous)
      batch.contributions.push(Array.from(shares))
      const expected = Array.from(s.expected.subarray(i * cols, (i + 1) * cols))
      batch.expected.push(expected)
      if (Number.isFinite(step.smoothed))
        stored.push({ sensorId: SCORE_SENSOR_ID, t, value: step.smoothed })
      if (Number.isFinite(step.rawSmoothed))
        stored.push({ sensorId: RAW_SCORE_SENSOR_ID, t, value: step.rawSmoothed })
      expected.forEach((value, c) =>
        stored.push({ sensorId: expectedSensorId(this.model.sensorIds[c] as string), t, value }),
      )
    }
    this.scored += s.count
    this.sinks.store(stored)
    this.sinks.emit(batch)
  }
}
