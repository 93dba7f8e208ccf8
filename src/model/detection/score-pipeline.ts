/**
 * From a model's window scores to detections, one row at a time: the adapted score (each
 * sensor against its recent level, see drift-baseline.ts), then smoothing and minimum duration
 * (event-filter.ts). The live scorer, the comparison of versions and `vigil eval` all run this
 * class, so what the benchmark measures is what runs in the plant.
 */
import type { DetectionSettings } from '../../contract'
import type { WindowScores } from '../window-scorer'
import { DriftBaseline } from './drift-baseline'
import { EventFilter, MovingAverage, type FilterStep } from './event-filter'

export interface PipelineSettings {
  threshold: number
  detection: DetectionSettings
  /**
   * Each sensor's median validation error, the adapted score's reference; null scores raw (a
   * model without it, or `detection.adaptive` off).
   */
  reference: readonly number[] | null
  /** Time between two rows of the model's grid, ms. */
  periodMs: number
}

export interface PipelineStep extends FilterStep {
  raw: number
  adapted: number
  rawSmoothed: number
}

/** The baseline keeps one bucket per second (or per row, for rows a second apart or more). */
const BUCKET_MS = 1000

/** Rows per bucket and buckets per window for a baseline of `minutes` on a `periodMs` grid. */
export function baselineShape(
  minutes: number,
  periodMs: number,
): { bucketRows: number; windowBuckets: number } {
  const bucketRows = Math.max(1, Math.round(BUCKET_MS / periodMs))
  const bucketMs = bucketRows * periodMs
  return { bucketRows, windowBuckets: Math.max(1, Math.round((minutes * 60_000) / bucketMs)) }
}

/**
 * The reference of the adapted score for a stored model: its per-sensor validation medians, or
 * for a model trained before they were kept, the median of the whole validation score for every
 * sensor (the score is the mean of the sensors' errors, so that is their typical level).
 */
export function referenceOf(
  metrics: { valScoreP50: number; valSensorP50?: number[] | undefined },
  cols: number,
): number[] {
  const own = metrics.valSensorP50
  return own && own.length === cols ? own : new Array<number>(cols).fill(metrics.valScoreP50)
}

/** Window scores → adapted score → smoothing → detections. */
export class ScorePipeline {
  readonly adaptive: boolean
  private readonly baseline: DriftBaseline | null
  private readonly filter: EventFilter
  private readonly rawAverage: MovingAverage
  private readonly errors: Float64Array

  /**
   * `previous`: a pipeline of the same model whose baseline carries on (new threshold or
   * smoothing, same baseline settings), so what it has followed is not flagged again.
   */
  constructor(
    readonly settings: PipelineSettings,
    cols: number,
    previous: ScorePipeline | null = null,
  ) {
    const d = settings.detection
    this.adaptive = d.adaptive && settings.reference !== null
    if (settings.reference && settings.reference.length !== cols) {
      throw new Error(`the reference has ${settings.reference.length} sensors, the model ${cols}`)
    }
    this.baseline =
      this.adaptive && settings.reference
        ? (previous?.baseline ??
          new DriftBaseline({
            reference: settings.reference,
            maxRise: d.maxBaselineRise,
            ...baselineShape(d.baselineMinutes, settings.periodMs),
          }))
        : null
    this.filter = new EventFilter({
      threshold: settings.threshold,
      smoothing: d.smoothing,
      minDuration: d.minDuration,
    })
    this.rawAverage = new MovingAverage(d.smoothing)
    this.errors = new Float64Array(cols)
  }

  /**
   * Pushes window `i` of `s`. `shares`, when given, receives each sensor's share of the score
   * the threshold is compared with (the adapted one when adaptive).
   */
  push(s: WindowScores, i: number, shares?: Float32Array | Float64Array): PipelineStep {
    const cols = s.cols
    const score = s.score[i]!
    let raw = score
    let adapted = score
    if (this.baseline) {
      for (let c = 0; c < cols; c++) this.errors[c] = s.contributions[i * cols + c]! * score * cols
      ;({ raw, adapted } = this.baseline.push(this.errors, shares))
    } else if (shares) {
      for (let c = 0; c < cols; c++) shares[c] = s.contributions[i * cols + c]!
    }
    const step = this.filter.push(adapted)
    return { ...step, raw, adapted, rawSmoothed: this.rawAverage.push(raw) }
  }

  /** How far each sensor's baseline has risen above its reference (all 1 when not adaptive). */
  rise(): number[] {
    return this.baseline?.rise() ?? []
  }
}

/** A whole series through a fresh pipeline, detections backdated as the live filter does. */
export interface PipelineRun {
  raw: Float64Array
  adapted: Float64Array
  smoothed: Float64Array
  anomalous: Uint8Array
}

/** Runs every window of `s` through `pipeline` (which may already hold earlier rows). */
export function runPipeline(pipeline: ScorePipeline, s: WindowScores): PipelineRun {
  const n = s.count
  const out: PipelineRun = {
    raw: new Float64Array(n),
    adapted: new Float64Array(n),
    smoothed: new Float64Array(n),
    anomalous: new Uint8Array(n),
  }
  let offset = -1
  for (let i = 0; i < n; i++) {
    const step = pipeline.push(s, i)
    // The filter counts its own samples; map them onto this run's rows.
    if (offset < 0) offset = step.index - i
    out.raw[i] = step.raw
    out.adapted[i] = step.adapted
    out.smoothed[i] = step.smoothed
    if (step.startedAt !== null) out.anomalous.fill(1, Math.max(0, step.startedAt - offset), i)
    if (step.anomalous) out.anomalous[i] = 1
  }
  return out
}
