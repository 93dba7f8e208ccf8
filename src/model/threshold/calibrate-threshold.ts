import type { DetectionSettings } from '../../contract'
import { movingAverage } from '../detection/event-filter'
import { potThreshold, type PotOptions, type PotResult } from './pot'

export type ThresholdMethod = 'override' | PotResult['method']

export interface ThresholdCalibration {
  /** The threshold to use: the override when set, else the calibrated one. */
  threshold: number
  method: ThresholdMethod
  details: {
    /** The calibrated threshold, also when an override replaces it. */
    calibrated: number
    calibratedMethod: PotResult['method']
    targetFalseAlarmRate: number
    /** Whether the scores were smoothed like live scores before the fit. */
    smoothed: boolean
    pot: PotResult
  }
}

export interface CalibrationOptions extends Omit<PotOptions, 'q'> {
  /**
   * The validation scores are consecutive samples: smooth them with the settings' moving
   * average first, so the threshold is fitted to the quantity it is compared with.
   */
  consecutive?: boolean
}

/**
 * Turns validation scores (of normal data, not used for the weights' fit) into a threshold
 * exceeded with the settings' target false-alarm rate, by peaks over threshold. No labels are
 * used. An engineer's `thresholdOverride` wins, with the calibrated value kept in the details.
 */
export function calibrateThreshold(
  validationScores: ArrayLike<number>,
  settings: Pick<DetectionSettings, 'targetFalseAlarmRate' | 'smoothing' | 'thresholdOverride'>,
  options: CalibrationOptions = {},
): ThresholdCalibration {
  const { consecutive = false, ...pot } = options
  const smoothed = consecutive && settings.smoothing > 1
  const scores = smoothed ? movingAverage(validationScores, settings.smoothing) : validationScores
  const result = potThreshold(scores, { ...pot, q: settings.targetFalseAlarmRate })
  const override = settings.thresholdOverride
  return {
    threshold: override ?? result.threshold,
    method: override != null ? 'override' : result.method,
    details: {
      calibrated: result.threshold,
      calibratedMethod: result.method,
      targetFalseAlarmRate: settings.targetFalseAlarmRate,
      smoothed,
      pot: result,
    },
  }
}
