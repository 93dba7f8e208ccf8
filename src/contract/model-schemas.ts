import { z } from 'zod'
import { sensorIdSchema } from './schemas'

const epochMs = z.number().int().nonnegative()

/** How the attention layer compares time steps: plain dot product, scaled, or multi-head. */
export const attentionKindSchema = z.enum(['dot', 'scaled-dot', 'multi-head'])
export type AttentionKind = z.infer<typeof attentionKindSchema>

/** The shape of the network: what it reads and how big it is. */
export const modelSpecSchema = z
  .object({
    /** The sensors the model reads, in this order. */
    sensorIds: z.array(sensorIdSchema).min(1).max(64),
    /** Samples per window (one sample = one value of every sensor at one time step). */
    windowSize: z.number().int().min(4).max(256).default(32),
    /** Width of the encoder's representation of one time step. */
    dModel: z.number().int().min(4).max(256).default(32),
    attention: attentionKindSchema.default('multi-head'),
    /** Heads of multi-head attention; dModel must be a multiple of it. */
    heads: z.number().int().min(1).max(16).default(4),
  })
  .strict()
  .refine((s) => s.attention !== 'multi-head' || s.dModel % s.heads === 0, {
    message: 'dModel must be a multiple of the number of heads',
    path: ['heads'],
  })
  .refine((s) => new Set(s.sensorIds).size === s.sensorIds.length, {
    message: 'each sensor may be chosen once',
    path: ['sensorIds'],
  })
export type ModelSpec = z.output<typeof modelSpecSchema>

/** How the model is fitted. */
export const trainingOptionsSchema = z
  .object({
    /** Step between the starts of two training windows, in samples. */
    stride: z.number().int().min(1).max(256).default(4),
    epochs: z.number().int().min(1).max(500).default(30),
    batchSize: z.number().int().min(4).max(1024).default(64),
    learningRate: z.number().positive().max(1).default(0.002),
    /** The last part of the training range, held out for early stopping and the threshold. */
    validationFraction: z.number().min(0.05).max(0.5).default(0.2),
    /** Epochs without a better validation loss before training stops. */
    patience: z.number().int().min(0).max(100).default(5),
    /** Same seed, same data, same backend: same model. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
  })
  .strict()
export type TrainingOptions = z.output<typeof trainingOptionsSchema>

/** How scores become detections: no labels needed. */
export const detectionSettingsSchema = z
  .object({
    /**
     * The share of normal samples allowed above the threshold; the threshold is fitted to the
     * validation scores' tail (peaks over threshold) at this rate.
     */
    targetFalseAlarmRate: z.number().min(1e-6).max(0.2).default(0.001),
    /** Moving average over this many samples before comparing with the threshold. */
    smoothing: z.number().int().min(1).max(3600).default(5),
    /** Samples the smoothed score must stay above the threshold before it counts. */
    minDuration: z.number().int().min(1).max(3600).default(3),
    /** An engineer's threshold; null uses the calibrated one. */
    thresholdOverride: z.number().positive().nullable().default(null),
    /**
     * Follow slow drift of normal operation: each sensor's error is compared with its own recent
     * level (the adapted score) rather than only with the training range.
     */
    adaptive: z.boolean().default(true),
    /** Minutes of recent scores each sensor's baseline is taken from (their 30th percentile). */
    baselineMinutes: z.number().min(1).max(1440).default(10),
    /**
     * How far the baseline may absorb the score: the adapted score never falls below the raw
     * score divided by this, so a fault above this many thresholds stays flagged however long.
     */
    maxBaselineRise: z.number().min(1).max(100).default(4),
  })
  .strict()
export type DetectionSettings = z.output<typeof detectionSettingsSchema>

export const trainingDefaultsSchema = z.object({
  spec: z.object({
    windowSize: z.number().int(),
    dModel: z.number().int(),
    attention: attentionKindSchema,
    heads: z.number().int(),
  }),
  options: trainingOptionsSchema,
  detection: detectionSettingsSchema,
})
export type TrainingDefaults = z.infer<typeof trainingDefaultsSchema>

export const startTrainingParamsSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    spec: modelSpecSchema,
    /** The training range in the history. */
    from: epochMs,
    to: epochMs,
    /** Periods to leave out (e.g. known faults, alarms). */
    exclude: z
      .array(z.object({ from: epochMs, to: epochMs }).strict())
      .max(1000)
      .default([]),
    /**
     * Also leave out the periods the active model flagged as anomalous (its stored score above
     * its threshold), so a retrained model does not learn a fault as normal.
     */
    excludeFlagged: z.boolean().default(true),
    options: trainingOptionsSchema.default(trainingOptionsSchema.parse({})),
    detection: detectionSettingsSchema.default(detectionSettingsSchema.parse({})),
    /** Activate the model as soon as it is trained. */
    activate: z.boolean().default(false),
  })
  .strict()
  .refine((p) => p.to > p.from, { message: '"to" must be after "from"', path: ['to'] })
export type StartTrainingParams = z.output<typeof startTrainingParamsSchema>

export const trainingStateSchema = z.enum([
  'preparing',
  'training',
  'calibrating',
  'done',
  'cancelled',
  'failed',
])

export const lossPointSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  valLoss: z.number().nullable(),
})
export type LossPoint = z.infer<typeof lossPointSchema>

/** A training run as it goes: sent as the `training` event and returned by `getTraining`. */
export const trainingProgressSchema = z.object({
  jobId: z.string(),
  name: z.string(),
  state: trainingStateSchema,
  startedAt: epochMs,
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: z.number().nullable(),
  valLoss: z.number().nullable(),
  /** Estimated time left, ms; null until one epoch has run. */
  etaMs: z.number().nullable(),
  history: z.array(lossPointSchema),
  windows: z.number().int(),
  /** Set when the run failed: a sentence for the engineer. */
  error: z.string().nullable(),
  /** The stored model, once done. */
  modelId: z.number().int().nullable(),
})
export type TrainingProgress = z.infer<typeof trainingProgressSchema>

export const modelMetricsSchema = z.object({
  trainLoss: z.number(),
  valLoss: z.number(),
  /** Validation scores: median and 99th percentile, for comparison with the threshold. */
  valScoreP50: z.number(),
  valScoreP99: z.number(),
  /**
   * Each sensor's median validation error (the reference of the adapted score), in the order of
   * the model's sensors. Missing for models trained before it was kept.
   */
  valSensorP50: z.array(z.number()).optional(),
  epochsRun: z.number().int(),
  trainWindows: z.number().int(),
  valWindows: z.number().int(),
  durationMs: z.number(),
  parameters: z.number().int(),
})

/** A stored model version (without its weights). */
export const modelSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: epochMs,
  active: z.boolean(),
  spec: modelSpecSchema,
  options: trainingOptionsSchema,
  detection: detectionSettingsSchema,
  /** The calibrated threshold (before any override). */
  calibratedThreshold: z.number(),
  /** The threshold in use: the override when set, else the calibrated one. */
  threshold: z.number(),
  trainedFrom: epochMs,
  trainedTo: epochMs,
  backend: z.string(),
  metrics: modelMetricsSchema,
})
export type ModelSummary = z.infer<typeof modelSummarySchema>

export const modelIdParamsSchema = z.object({ id: z.number().int().positive() }).strict()

export const setDetectionParamsSchema = z
  .object({ id: z.number().int().positive(), detection: detectionSettingsSchema })
  .strict()

export const jobIdParamsSchema = z.object({ jobId: z.string().min(1).max(64) }).strict()

/**
 * Live scores, batched like samples: row i is time t[i]. `contributions[i]` and `expected[i]`
 * follow `sensorIds`; contributions are each sensor's share of the adapted score (sum to 1).
 */
export const scoreBatchSchema = z.object({
  modelId: z.number().int(),
  sensorIds: z.array(z.string()),
  threshold: z.number(),
  t: z.array(z.number()),
  /** The raw score: the reconstruction error against the training range alone. */
  score: z.array(z.number()),
  /** The adapted score: each sensor against its recent level (the raw score when not adaptive). */
  adapted: z.array(z.number()),
  /** The smoothed adapted score, the one compared with the threshold. */
  smoothed: z.array(z.number()),
  /** The smoothed raw score, shown beside it. */
  rawSmoothed: z.array(z.number()),
  /** Whether the detector (threshold + minimum duration) is in an anomaly at that time. */
  anomalous: z.array(z.boolean()),
  contributions: z.array(z.array(z.number())),
  expected: z.array(z.array(z.number())),
})
export type ScoreBatch = z.infer<typeof scoreBatchSchema>

export const explainParamsSchema = z
  .object({
    /** The model to ask; the active one when left out. */
    modelId: z.number().int().positive().optional(),
    /** The window ending at (or just before) this time is explained. */
    t: epochMs,
  })
  .strict()

/** Why one window scored as it did. */
export const explanationSchema = z.object({
  modelId: z.number().int(),
  sensorIds: z.array(z.string()),
  /** Time of each step of the window. */
  t: z.array(z.number()),
  score: z.number(),
  threshold: z.number(),
  contributions: z.array(z.number()),
  /** Attention weights, averaged over heads: weights[i][j] is how much step i looked at step j. */
  attention: z.array(z.array(z.number())),
  actual: z.array(z.array(z.number())),
  expected: z.array(z.array(z.number())),
})
export type Explanation = z.infer<typeof explanationSchema>

export const compareModelsParamsSchema = z
  .object({
    candidateId: z.number().int().positive(),
    from: epochMs,
    to: epochMs,
  })
  .strict()
  .refine((p) => p.to > p.from, { message: '"to" must be after "from"', path: ['to'] })

/** How one model scores a stretch of history. */
export const modelOnRangeSchema = z.object({
  modelId: z.number().int(),
  windows: z.number().int(),
  meanScore: z.number(),
  p99Score: z.number(),
  /** Share of samples flagged anomalous there (on normal data: the false-alarm rate). */
  flaggedFraction: z.number(),
  threshold: z.number(),
})

export const compareModelsResultSchema = z.object({
  from: epochMs,
  to: epochMs,
  active: modelOnRangeSchema.nullable(),
  candidate: modelOnRangeSchema,
})
export type CompareModelsResult = z.infer<typeof compareModelsResultSchema>

/** The sensor id under which a model's live (smoothed, adapted) score is stored in the history. */
export const SCORE_SENSOR_ID = 'model:score'
/** The sensor id under which the smoothed raw score is stored, beside the adapted one. */
export const RAW_SCORE_SENSOR_ID = 'model:score-raw'
/** The sensor id under which the expected (reconstructed) value of a sensor is stored. */
export const expectedSensorId = (sensorId: string): string => `model:expected:${sensorId}`
