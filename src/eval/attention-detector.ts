import {
  detectionSettingsSchema,
  modelSpecSchema,
  trainingOptionsSchema,
  type AttentionKind,
  type DetectionSettings,
  type TrainingOptions,
} from '../contract'
import { detectEvents } from '../model/detection/event-filter'
import { runPipeline, ScorePipeline } from '../model/detection/score-pipeline'
import { calibrateThreshold } from '../model/threshold/calibrate-threshold'
import { trainModel } from '../model/train-model'
import { perSensorErrors, WindowScorer, type WindowScores } from '../model/window-scorer'
import type { Detector, DetectorOutput } from './skab-eval'
import type { Matrix } from './skab-files'

/**
 * How a window's score is formed. `model`: the model core's score, the mean squared error over
 * all sensors (what Vigil computes live). `second-sensor`: each sensor's squared error divided
 * by its median on the validation windows, then the second largest of these, so that one
 * drifting sensor alone cannot raise an alarm (an experiment, not what runs live).
 */
export type ScoreMode = 'model' | 'second-sensor'

/** Everything the benchmark detector is tuned by, in one place; the same for every file. */
export interface AttentionDetectorSettings {
  spec: { windowSize: number; dModel: number; attention: AttentionKind; heads: number }
  training: TrainingOptions
  detection: DetectionSettings
  score: ScoreMode
  /** Time between two rows, ms: the baseline's window is in minutes. */
  periodMs: number
}

export const ATTENTION_DETECTOR_SETTINGS: AttentionDetectorSettings = {
  spec: { windowSize: 32, dModel: 32, attention: 'multi-head', heads: 4 },
  training: trainingOptionsSchema.parse({
    // 400 training rows give few windows; every window counts (stride 1).
    stride: 1,
    // On valve1, 10 epochs scored as well as 30 (early stopping rarely ran longer) in a third of the time.
    epochs: 10,
    batchSize: 32,
    validationFraction: 0.2,
  }),
  // The product's defaults, and its calibration (calibrateThreshold with consecutive scores).
  detection: detectionSettingsSchema.parse({}),
  score: 'model',
  // SKAB samples once a second.
  periodMs: 1000,
}

function medianPerSensor(err: Float64Array, cols: number): Float64Array {
  const rows = err.length / cols
  const out = new Float64Array(cols)
  for (let c = 0; c < cols; c++) {
    const v = Float64Array.from({ length: rows }, (_, i) => err[i * cols + c]!)
      .filter(Number.isFinite)
      .sort()
    const m = v.length ? v[Math.floor((v.length - 1) / 2)]! : 1
    out[c] = m > 0 ? m : 1
  }
  return out
}

/** The second largest of each window's per-sensor errors relative to `reference`. */
function secondSensorScores(s: WindowScores, reference: Float64Array): Float64Array {
  const err = perSensorErrors(s)
  const out = new Float64Array(s.count)
  for (let i = 0; i < s.count; i++) {
    let first = -Infinity
    let second = -Infinity
    for (let c = 0; c < s.cols; c++) {
      const r = err[i * s.cols + c]! / reference[c]!
      if (r > first) {
        second = first
        first = r
      } else if (r > second) second = r
    }
    out[i] = Number.isFinite(s.score[i]!) ? second : NaN
  }
  return out
}

/** Multiples of the calibrated threshold at which the operating curve is drawn. */
export const CURVE_FACTORS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const

/**
 * The attention-autoencoder detector: trains the model core on the training rows, calibrates
 * the threshold on its held-out validation scores (the tail of the training rows; no labels),
 * scores every test row with the window ending at it, and turns the scores into detections with
 * the live scorer's pipeline (adapted score, smoothing, minimum duration).
 */
export function createAttentionDetector(
  settings: AttentionDetectorSettings = ATTENTION_DETECTOR_SETTINGS,
): Detector {
  return {
    name: 'attention-autoencoder',
    async fitPredict(train: Matrix, test: Matrix): Promise<DetectorOutput> {
      const sensorIds = Array.from({ length: train.cols }, (_, i) => `s${i}`)
      const spec = modelSpecSchema.parse({ ...settings.spec, sensorIds })
      const trained = await trainModel({ matrix: train, spec, options: settings.training })
      const scorer = await WindowScorer.load(trained.artifact)
      try {
        let validation: ArrayLike<number> = trained.validationScores
        let reference: Float64Array | null = null
        if (settings.score === 'second-sensor') {
          // The validation windows are the last ones of the training rows.
          const valScored = scorer.score(train.values, train.rows - trained.validationScores.length)
          reference = medianPerSensor(perSensorErrors(valScored), train.cols)
          validation = secondSensorScores(valScored, reference)
        }
        // As the model service does: trainModel's validation scores are consecutive samples.
        const calibration = calibrateThreshold(validation, settings.detection, {
          consecutive: true,
        })
        const threshold = calibration.threshold
        // Rows before the test part: the window of the first test row, and a warm moving
        // average (these rows are the held-out validation tail of the training part).
        const d = settings.detection
        const w = spec.windowSize
        const lead = Math.min(train.rows, w - 1 + d.smoothing - 1)
        const cols = train.cols
        const raw = new Float32Array((lead + test.rows) * cols)
        raw.set(train.values.subarray((train.rows - lead) * cols, train.rows * cols))
        raw.set(test.values.subarray(0, test.rows * cols), lead * cols)
        const firstEnd = Math.max(w - 1, lead - (d.smoothing - 1))
        const scored = scorer.score(raw, firstEnd)
        const skip = scored.count - test.rows
        const filter = { smoothing: d.smoothing, minDuration: d.minDuration }
        let run: { smoothed: Float64Array; anomalous: Uint8Array; score: Float64Array }
        let pipeline: ScorePipeline | null = null
        if (reference) {
          const all = secondSensorScores(scored, reference)
          const f = detectEvents(all, { threshold, ...filter })
          run = { smoothed: f.smoothed, anomalous: f.anomalous, score: all }
        } else {
          pipeline = new ScorePipeline(
            {
              threshold,
              detection: d,
              reference: trained.metrics.valSensorP50,
              periodMs: settings.periodMs,
            },
            cols,
          )
          const r = runPipeline(pipeline, scored)
          run = { smoothed: r.smoothed, anomalous: r.anomalous, score: r.adapted }
        }
        const curve = CURVE_FACTORS.map((factor) => ({
          factor,
          threshold: factor * threshold,
          predictions: detectEvents(run.score, {
            threshold: factor * threshold,
            ...filter,
          }).anomalous.slice(skip),
        }))
        const rise = pipeline?.rise() ?? []
        return {
          scores: Float64Array.from(run.smoothed.subarray(skip)),
          predictions: run.anomalous.slice(skip),
          curve,
          info: {
            threshold,
            method: calibration.method,
            epochs: trained.metrics.epochsRun,
            trainMs: Math.round(trained.metrics.durationMs),
            valLoss: trained.metrics.valLoss,
            valWindows: trained.metrics.valWindows,
            score: settings.score,
            adaptive: pipeline?.adaptive ?? false,
            // How far the most drifted sensor's baseline had risen by the end of the file.
            maxRise: rise.length ? Math.max(...rise) : 1,
          },
        }
      } finally {
        scorer.dispose()
      }
    },
  }
}
