import {
  detectionSettingsSchema,
  modelMetricsSchema,
  modelSpecSchema,
  trainingOptionsSchema,
  type DetectionSettings,
  type ModelSummary,
} from '../../contract'
import type { StoredModelHead } from '../../historian/model-store'

/** A stored model's description, checked: a row that no longer parses is reported, not used. */
export function toModelSummary(head: StoredModelHead): ModelSummary {
  const detection = detectionSettingsSchema.parse(head.detection)
  return {
    id: head.id,
    name: head.name,
    createdAt: head.createdAt,
    active: head.active,
    spec: modelSpecSchema.parse(head.spec),
    options: trainingOptionsSchema.parse(head.options),
    detection,
    calibratedThreshold: head.calibratedThreshold,
    threshold: thresholdOf(head.calibratedThreshold, detection),
    trainedFrom: head.trainedFrom,
    trainedTo: head.trainedTo,
    backend: head.backend,
    metrics: modelMetricsSchema.parse(head.metrics),
  }
}

export function thresholdOf(calibrated: number, detection: DetectionSettings): number {
  return detection.thresholdOverride ?? calibrated
}

/** The p-quantile (0..1) of finite values, by sorting a copy. */
export function quantile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).filter(Number.isFinite).sort()
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))
  return sorted[i] as number
}
