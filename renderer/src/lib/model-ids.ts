import type {
  RAW_SCORE_SENSOR_ID as RawScoreSensorId,
  SCORE_SENSOR_ID as ScoreSensorId,
} from '@vigil/contract'

// A value import from the contract is not allowed in the renderer; the type keeps this honest.
/** The history's sensor id of the active model's live (adapted) score. */
export const SCORE_SENSOR_ID: typeof ScoreSensorId = 'model:score'
/** The history's sensor id of the active model's raw score, kept beside the adapted one. */
export const RAW_SCORE_SENSOR_ID: typeof RawScoreSensorId = 'model:score-raw'

const EXPECTED_PREFIX = 'model:expected:'

/** The history's sensor id of the value the model expects for `sensorId`. */
export const expectedSensorId = (sensorId: string): string => `${EXPECTED_PREFIX}${sensorId}`

/** Whether a sensor id is one a model writes (its score or an expected value), not a measurement. */
export const isModelSensor = (sensorId: string): boolean => sensorId.startsWith('model:')
