import {
  detectionSettingsSchema,
  modelSpecSchema,
  trainingOptionsSchema,
  type AttentionKind,
  type DetectionSettings,
  type TrainingOptions,
} from '../contract'
import { detectEvents } from '../model/detection/event-filter'
import { calibrateThreshold, type CalibrationOptions } from '../model/threshold/calibrate-threshold'
import { trainModel } from '../model/train-model'
import { WindowScorer } from '../model/window-scorer'
import type { Detector, DetectorOutput } from './skab-eval'
import type { Matrix } from './skab-files'

/** Everything the benchmark detector is tuned by, in one place; the same for every file. */
export interface AttentionDetectorSettings {
  spec: { windowSize: number; dModel: number; attention: AttentionKind; heads: number }
  training: TrainingOptions
  detection: DetectionSettings
  calibration: Omit<CalibrationOptions, 'consecutive'>
}

export const ATTENTION_DETECTOR_SETTINGS: AttentionDetectorSettings = {
  spec: { windowSize: 32, dModel: 32, attention: 'multi-head', heads: 4 },
  training: trainingOptionsSchema.parse({
    // 400 training rows give few windows; every window counts (stride 1).
    stride: 1,
    epochs: 30,
    batchSize: 32,
    validationFraction: 0.2,
  }),
  detection: detectionSettingsSchema.parse({
    targetFalseAlarmRate: 0.001,
    smoothing: 5,
    minDuration: 3,
  }),
  calibration: { initialLevel: 0.98, minExcesses: 10, margin: 0.1 },
}

/**
 * The attention-autoencoder detector: trains the model core on the training rows, calibrates
 * the threshold on its held-out validation scores (the tail of the training rows; no labels),
 * scores every test row with the window ending at it, and filters the scores into detections.
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
      const calibration = calibrateThreshold(trained.validationScores, settings.detection, {
        ...settings.calibration,
        // Stride-1 validation windows end at consecutive rows, like live scores.
        consecutive: settings.training.stride === 1,
      })
      const scorer = await WindowScorer.load(trained.artifact)
      try {
        // Rows before the test part: the window of the first test row, and a warm moving
        // average (these rows are the held-out validation tail of the training part).
        const w = spec.windowSize
        const lead = Math.min(train.rows, w - 1 + settings.detection.smoothing - 1)
        const cols = train.cols
        const raw = new Float32Array((lead + test.rows) * cols)
        raw.set(train.values.subarray((train.rows - lead) * cols, train.rows * cols))
        raw.set(test.values.subarray(0, test.rows * cols), lead * cols)
        const firstEnd = Math.max(w - 1, lead - (settings.detection.smoothing - 1))
        const scored = scorer.score(raw, firstEnd)
        const all = Float64Array.from(scored.score)
        const filtered = detectEvents(all, {
          threshold: calibration.threshold,
          smoothing: settings.detection.smoothing,
          minDuration: settings.detection.minDuration,
        })
        const skip = all.length - test.rows
        return {
          scores: Float64Array.from(filtered.smoothed.subarray(skip)),
          predictions: filtered.anomalous.slice(skip),
          info: {
            threshold: calibration.threshold,
            method: calibration.method,
            epochs: trained.metrics.epochsRun,
            valLoss: trained.metrics.valLoss,
            valWindows: trained.metrics.valWindows,
          },
        }
      } finally {
        scorer.dispose()
      }
    },
  }
}
