// Fits the attention autoencoder on a stretch of history. Our own loop rather than model.fit:
// chronological validation split, seeded shuffling and noise (repeatable), cancellation between
// batches, progress with an ETA, and early stopping that restores the best weights.
//
// Split: windows are cut from the gap-filled matrix; the last `validationFraction` of them is the
// validation set, and training windows that overlap the first validation window are dropped so
// no validation sample is seen in training. The scaler is fitted on the training rows only.
// Training inputs get seeded Gaussian noise (σ = NOISE_STD, scaled units) while the target stays
// clean: a denoising autoencoder cannot succeed by copying its input.
//
// Time bound: an epoch trains on at most MAX_EPOCH_WINDOWS training windows, a fresh seeded draw
// each epoch, and early stopping compares the loss on at most MAX_VAL_LOSS_WINDOWS validation
// windows spread evenly over the validation part (plain mean squared error). With stride 4 and W = 32 every sample sits in 8
// windows, so 6,144 windows of a day still show each sample about 3 times per epoch; this keeps
// 30 epochs on a day of 8 sensors at 1 Hz within minutes on WebAssembly. The final validation
// scores (for the threshold) cover every stride-1 window of the validation part, so the moving
// average in the calibration sees consecutive samples as it does live.
import * as tf from '@tensorflow/tfjs'
import { VigilError, type LossPoint, type ModelSpec, type TrainingOptions } from '../contract'
import { seededRandom } from '../ingest/random'
import { buildModel } from './build-model'
import { serializeModel, type ModelArtifact } from './model-artifact'
import { fitScaler, transform } from './scaler'
import { perSensorErrors, scoreRows, scoreScaledWindows } from './window-scorer'
import { extractWindows, fillGaps, type Matrix } from './windows'

/** Standard deviation of the training input noise, in scaled units. */
const NOISE_STD = 0.1
/** Training windows per epoch at most; larger sets are sampled afresh each epoch. */
export const MAX_EPOCH_WINDOWS = 6144
/** Validation windows behind the per-epoch validation loss, at most. */
export const MAX_VAL_LOSS_WINDOWS = 2048
/** Gaps of at most this many samples are bridged by holding the last value. */
export const DEFAULT_MAX_GAP = 3

/** Training was stopped through its AbortSignal. */
export class TrainingCancelled extends Error {
  constructor() {
    super('training was cancelled')
    this.name = 'TrainingCancelled'
  }
}

/** The data cannot train a model; the message says why in the engineer's terms. */
export class TrainingDataError extends VigilError {
  constructor(message: string) {
    super('INVALID_PARAMS', message)
    this.name = 'TrainingDataError'
  }
}

export interface TrainingInput {
  /** Raw values, rows × sensors (in spec.sensorIds order), NaN where a value is missing. */
  matrix: Matrix
  spec: ModelSpec
  options: TrainingOptions
  /** Longest gap, in samples, bridged by holding the last value (default 3). */
  maxGap?: number
}

export interface TrainingProgressPoint {
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number | null
  valLoss: number | null
  /** Estimated time left in ms; null until the first epoch is done. */
  etaMs: number | null
}

export interface TrainingHooks {
  onProgress?(p: TrainingProgressPoint): void
  onEpoch?(point: LossPoint): void
  signal?: AbortSignal
}

export interface TrainingMetrics {
  trainLoss: number
  valLoss: number
  epochsRun: number
  trainWindows: number
  valWindows: number
  durationMs: number
  parameters: number
  /** Each sensor's median error over the validation windows: the adapted score's reference. */
  valSensorP50: number[]
}

export interface TrainingResult {
  artifact: ModelArtifact
  /**
   * One score per stride-1 window of the validation part (consecutive samples, NaN where a
   * window has a missing value), as the live scorer computes it: for the threshold.
   */
  validationScores: Float32Array
  history: LossPoint[]
  metrics: TrainingMetrics
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

interface PreparedData {
  scaler: ReturnType<typeof fitScaler>
  /** The gap-filled rows and the first row of the validation part. */
  filled: Matrix
  valStartRow: number
  train: Float32Array
  trainCount: number
  val: Float32Array
  valCount: number
}

/** Windows, split and scaling; throws TrainingDataError when they are too few. */
function prepare(input: TrainingInput): PreparedData {
  const { matrix, spec, options } = input
  const cols = spec.sensorIds.length
  if (matrix.cols !== cols) {
    throw new Error(`the matrix has ${matrix.cols} columns for ${cols} sensors`)
  }
  const w = spec.windowSize
  const filled = fillGaps(matrix, input.maxGap ?? DEFAULT_MAX_GAP)
  const windows = extractWindows(filled, w, options.stride)
  const valCount = Math.floor(windows.count * options.validationFraction)
  const valStartRow = valCount > 0 ? windows.ends[windows.count - valCount]! - (w - 1) : Infinity
  let trainCount = windows.count - valCount
  while (trainCount > 0 && windows.ends[trainCount - 1]! >= valStartRow) trainCount--

  const needed = 2 * options.batchSize
  if (trainCount < needed || valCount < 1) {
    const usable = countCompleteRows(filled)
    const neededWindows = Math.ceil(needed / (1 - options.validationFraction)) + 1
    const neededRows = (neededWindows - 1) * options.stride + w + w
    throw new TrainingDataError(
      `Only ${windows.count} complete windows of ${w} samples could be cut from ` +
        `${matrix.rows} samples (${usable} of them with every sensor present); training needs ` +
        `at least ${needed} training windows (two batches of ${options.batchSize}) plus ` +
        `validation windows, i.e. about ${neededRows} consecutive samples at stride ` +
        `${options.stride}. Choose a longer training range, fewer excluded periods, or a ` +
        `smaller window, stride or batch size.`,
    )
  }
  const scaler = fitScaler(filled.values.subarray(0, valStartRow * cols), cols)
  const size = w * cols
  const train = transform(scaler, windows.values.subarray(0, trainCount * size))
  const val = transform(scaler, windows.values.subarray((windows.count - valCount) * size))
  return { scaler, filled, valStartRow, train, trainCount, val, valCount }
}

function countCompleteRows(m: Matrix): number {
  let n = 0
  for (let r = 0; r < m.rows; r++) {
    let ok = true
    for (let c = 0; c < m.cols && ok; c++) ok = !Number.isNaN(m.values[r * m.cols + c]!)
    if (ok) n++
  }
  return n
}

/** Seeded Fisher–Yates shuffle of 0..n-1 into `order`. */
function shuffle(order: Int32Array, random: () => number): void {
  for (let i = 0; i < order.length; i++) order[i] = i
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
}

/** At most `max` of `count` packed windows, evenly spaced (all of them when they are fewer). */
function evenlySpaced(
  windows: Float32Array,
  count: number,
  size: number,
  max: number,
): { values: Float32Array; count: number } {
  if (count <= max) return { values: windows, count }
  const values = new Float32Array(max * size)
  for (let i = 0; i < max; i++) {
    const k = Math.floor((i * count) / max)
    values.set(windows.subarray(k * size, (k + 1) * size), i * size)
  }
  return { values, count: max }
}

/** Each column's median of row-major `values` (rows × cols), missing values left out (0 if none). */
function columnMedians(values: Float64Array, cols: number): number[] {
  const rows = values.length / cols
  return Array.from({ length: cols }, (_, c) => {
    const v = Float64Array.from({ length: rows }, (_, r) => values[r * cols + c]!)
      .filter(Number.isFinite)
      .sort()
    if (!v.length) return 0
    const mid = v.length >> 1
    return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
  })
}

const mean = (values: Float32Array): number => {
  let sum = 0
  for (const v of values) sum += v
  return values.length ? sum / values.length : NaN
}

/**
 * Trains a model on `input.matrix`. Rejects with {@link TrainingCancelled} when `hooks.signal`
 * aborts and with {@link TrainingDataError} when the data is too short or too gappy.
 */
export async function trainModel(
  input: TrainingInput,
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  const started = performance.now()
  const { spec, options } = input
  const { signal } = hooks
  const check = () => {
    if (signal?.aborted) throw new TrainingCancelled()
  }
  check()
  const data = prepare(input)
  const w = spec.windowSize
  const cols = spec.sensorIds.length
  const size = w * cols
  const model = buildModel(spec, options.seed)
  const optimizer = tf.train.adam(options.learningRate)
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable)
  const random = seededRandom(options.seed)
  const order = new Int32Array(data.trainCount)
  const perEpoch = Math.min(data.trainCount, MAX_EPOCH_WINDOWS)
  const batches = Math.ceil(perEpoch / options.batchSize)
  const valLossSet = evenlySpaced(data.val, data.valCount, size, MAX_VAL_LOSS_WINDOWS)
  const history: LossPoint[] = []
  let best: { valLoss: number; epoch: number; weights: tf.Tensor[] } | null = null
  let sinceBest = 0
  let lastValLoss: number | null = null
  const epochMs: number[] = []

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const epochStart = performance.now()
      shuffle(order, random)
      let lossSum = 0
      for (let b = 0; b < batches; b++) {
        const start = b * options.batchSize
        const n = Math.min(options.batchSize, perEpoch - start)
        // A new buffer per batch: a backend may keep a reference to the array it is given.
        const batch = new Float32Array(n * size)
        for (let i = 0; i < n; i++) {
          const k = order[start + i]!
          batch.set(data.train.subarray(k * size, (k + 1) * size), i * size)
        }
        const noiseSeed = Math.floor(random() * 2 ** 31)
        const loss = optimizer.minimize(
          () => {
            const x = tf.tensor3d(batch, [n, w, cols])
            const noisy = x.add(tf.randomNormal([n, w, cols], 0, NOISE_STD, 'float32', noiseSeed))
            const y = model.apply(noisy, { training: true }) as tf.Tensor
            return tf.losses.meanSquaredError(x, y) as tf.Scalar
          },
          true,
          variables,
        )
        const value = loss!.dataSync()[0]!
        loss!.dispose()
        lossSum += value
        const perBatch = (performance.now() - epochStart) / (b + 1)
        const avgEpoch = epochMs.length ? epochMs.reduce((a, c) => a + c) / epochMs.length : null
        hooks.onProgress?.({
          epoch,
          epochs: options.epochs,
          batch: b + 1,
          batches,
          loss: lossSum / (b + 1),
          valLoss: lastValLoss,
          etaMs:
            avgEpoch === null
              ? null
              : (batches - b - 1) * perBatch + (options.epochs - epoch) * avgEpoch,
        })
        await nextTick()
        check()
      }
      const valLoss = mean(
        scoreScaledWindows(model, valLossSet.values, valLossSet.count, w, cols).score,
      )
      lastValLoss = valLoss
      const point: LossPoint = { epoch, loss: lossSum / batches, valLoss }
      history.push(point)
      hooks.onEpoch?.(point)
      epochMs.push(performance.now() - epochStart)
      if (!best || valLoss < best.valLoss) {
        if (best) tf.dispose(best.weights)
        best = { valLoss, epoch, weights: model.getWeights().map((t) => t.clone()) }
        sinceBest = 0
      } else if (++sinceBest >= options.patience) {
        break
      }
      await nextTick()
      check()
    }
    if (!best) throw new Error('training ran no epoch')
    model.setWeights(best.weights)
    // Every stride-1 window of the validation part, scored as live: the moving average of the
    // calibration then sees consecutive samples, whatever the training stride.
    const valRows = data.filled.values.subarray(data.valStartRow * cols)
    const validation = scoreRows(model, data.scaler, valRows, w)
    const serialized = await serializeModel(model)
    return {
      artifact: { ...serialized, spec, scaler: data.scaler },
      validationScores: validation.score,
      history,
      metrics: {
        trainLoss: history[best.epoch - 1]!.loss,
        valLoss: best.valLoss,
        epochsRun: history.length,
        trainWindows: data.trainCount,
        valWindows: data.valCount,
        durationMs: performance.now() - started,
        parameters: model.countParams(),
        valSensorP50: columnMedians(perSensorErrors(validation), cols),
      },
    }
  } finally {
    if (best) tf.dispose(best.weights)
    optimizer.dispose()
    model.dispose()
  }
}
