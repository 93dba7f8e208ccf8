// Scoring windows with a trained model. The score of a window is the mean squared reconstruction
// error over all of its W steps and S sensors, in scaled units (1 ≈ one robust standard
// deviation). Averaging over the whole window makes the score smooth (a step change enters it
// gradually over W samples instead of as one noisy step) and makes the validation loss equal to
// the mean validation score. Contributions are each sensor's share of that squared error; the
// expected values are the reconstruction of the window's last step, back in raw units.
import * as tf from '@tensorflow/tfjs'
import type { ModelSpec } from '../contract'
import { attentionLayerOf } from './build-model'
import { loadModel, type ModelArtifact } from './model-artifact'
import { inverse, transform, type ScalerParams } from './scaler'

/** Windows per predict call: large enough to amortize a call, small enough for the heap. */
const CHUNK = 256

/** Scores of consecutive windows: `count` windows, `cols` sensors each. */
export interface WindowScores {
  count: number
  cols: number
  /** One score per window; NaN for a window with a missing value. */
  score: Float32Array
  /** count × cols, each row sums to 1. */
  contributions: Float32Array
  /** count × cols, the reconstruction of each window's last step (raw units from the scorer). */
  expected: Float32Array
}

/** Why one window scored as it did. */
export interface WindowExplanation {
  score: number
  contributions: number[]
  /** W × W, averaged over heads: attention[i][j] is how much step i looked at step j. */
  attention: number[][]
  /** heads × W × W. */
  perHead: number[][][]
  /** W × S, raw units. */
  expected: number[][]
}

/**
 * Scores windows packed [count, W, S] in scaled units (no NaN). `expected` stays in scaled units.
 * Training uses this for its validation scores, so live and calibration scores are comparable.
 */
export function scoreScaledWindows(
  model: tf.LayersModel,
  windows: Float32Array,
  count: number,
  windowSize: number,
  cols: number,
): WindowScores {
  const score = new Float32Array(count)
  const contributions = new Float32Array(count * cols)
  const expected = new Float32Array(count * cols)
  const size = windowSize * cols
  for (let first = 0; first < count; first += CHUNK) {
    const n = Math.min(CHUNK, count - first)
    const [perSensor, last] = tf.tidy(() => {
      const x = tf.tensor3d(windows.subarray(first * size, (first + n) * size), [
        n,
        windowSize,
        cols,
      ])
      const y = model.predict(x, { batchSize: CHUNK }) as tf.Tensor3D
      return [
        y.sub(x).square().sum(1),
        y.slice([0, windowSize - 1, 0], [n, 1, cols]).reshape([n, cols]),
      ]
    })
    const err = perSensor.dataSync()
    expected.set(last.dataSync(), first * cols)
    tf.dispose([perSensor, last])
    for (let i = 0; i < n; i++) {
      let total = 0
      for (let c = 0; c < cols; c++) total += err[i * cols + c]!
      const w = first + i
      score[w] = total / size
      for (let c = 0; c < cols; c++) {
        contributions[w * cols + c] = total > 0 ? err[i * cols + c]! / total : 1 / cols
      }
    }
  }
  return { count, cols, score, contributions, expected }
}

/** Each sensor's mean squared error over a window's steps (scaled units), count × cols. */
export function perSensorErrors(s: WindowScores): Float64Array {
  const out = new Float64Array(s.count * s.cols)
  for (let i = 0; i < s.count; i++) {
    for (let c = 0; c < s.cols; c++) {
      out[i * s.cols + c] = s.contributions[i * s.cols + c]! * s.score[i]! * s.cols
    }
  }
  return out
}

/**
 * Scores every window (stride 1) of `raw` (rows × S consecutive samples, raw units) that ends
 * at row `firstEnd` or later; see {@link WindowScorer.score}. Training scores its validation
 * part with this too, so calibration sees exactly the live score.
 */
export function scoreRows(
  model: tf.LayersModel,
  scaler: ScalerParams,
  raw: Float32Array,
  windowSize: number,
  firstEnd = windowSize - 1,
): WindowScores {
  const w = windowSize
  const cols = scaler.center.length
  const rows = Math.floor(raw.length / cols)
  const from = Math.max(firstEnd, w - 1)
  const count = Math.max(0, rows - from)
  if (count === 0) {
    const none = new Float32Array(0)
    return { count, cols, score: none, contributions: none, expected: none }
  }
  const firstRow = from - (w - 1)
  const scaled = transform(scaler, raw.subarray(firstRow * cols, rows * cols))
  // Last row with a missing value at or before each row (relative to firstRow).
  const lastMissing = new Int32Array(rows - firstRow)
  let missing = -1
  for (let r = 0; r < lastMissing.length; r++) {
    for (let c = 0; c < cols; c++) {
      if (Number.isNaN(scaled[r * cols + c]!)) {
        missing = r
        scaled[r * cols + c] = 0
      }
    }
    lastMissing[r] = missing
  }
  const size = w * cols
  const out: WindowScores = {
    count,
    cols,
    score: new Float32Array(count),
    contributions: new Float32Array(count * cols),
    expected: new Float32Array(count * cols),
  }
  // Windows are packed one chunk at a time: a day of history at stride 1 would otherwise take
  // W times the memory of its rows. The chunk's tensor is gone before the buffer is refilled.
  const chunk = new Float32Array(Math.min(count, CHUNK) * size)
  for (let first = 0; first < count; first += CHUNK) {
    const n = Math.min(CHUNK, count - first)
    for (let i = 0; i < n; i++) {
      const row = first + i
      chunk.set(scaled.subarray(row * cols, row * cols + size), i * size)
    }
    const part = scoreScaledWindows(model, chunk.subarray(0, n * size), n, w, cols)
    out.score.set(part.score, first)
    out.contributions.set(part.contributions, first * cols)
    out.expected.set(part.expected, first * cols)
  }
  inverse(scaler, out.expected, out.expected)
  for (let i = 0; i < count; i++) {
    if (lastMissing[i + w - 1]! < i) continue
    out.score[i] = NaN
    out.contributions.fill(NaN, i * cols, (i + 1) * cols)
    out.expected.fill(NaN, i * cols, (i + 1) * cols)
  }
  return out
}

/** Scores live or stored data with one trained model. Call {@link dispose} when done. */
export class WindowScorer {
  readonly spec: ModelSpec
  readonly windowSize: number
  readonly cols: number
  private readonly scaler: ScalerParams
  private encoder: tf.LayersModel | null = null

  private constructor(
    private readonly model: tf.LayersModel,
    artifact: ModelArtifact,
  ) {
    this.spec = artifact.spec
    this.scaler = artifact.scaler
    this.windowSize = artifact.spec.windowSize
    this.cols = artifact.spec.sensorIds.length
  }

  static async load(artifact: ModelArtifact): Promise<WindowScorer> {
    return new WindowScorer(await loadModel(artifact), artifact)
  }

  /**
   * Scores every window (stride 1) of `raw` (rows × S consecutive samples, raw units) that ends
   * at row `firstEnd` or later. Keep the last W−1 rows of one call in front of the next one and
   * pass `firstEnd = W − 1` to score a live stream without gaps or repeats. Windows with a
   * missing value get NaN everywhere.
   */
  score(raw: Float32Array, firstEnd = this.windowSize - 1): WindowScores {
    return scoreRows(this.model, this.scaler, raw, this.windowSize, firstEnd)
  }

  /** Explains one window (W × S raw, no missing value): attention, contributions, expected. */
  explain(windowRaw: Float32Array): WindowExplanation {
    const { windowSize: w, cols } = this
    if (windowRaw.length !== w * cols) {
      throw new Error(`a window is ${w} × ${cols} values, got ${windowRaw.length}`)
    }
    const scaled = transform(this.scaler, windowRaw)
    const scored = scoreScaledWindows(this.model, scaled, 1, w, cols)
    const [weights, reconstruction] = tf.tidy(() => {
      const x = tf.tensor3d(scaled, [1, w, cols])
      const hidden = this.attentionInput().predict(x) as tf.Tensor3D
      const perHead = attentionLayerOf(this.model).attentionWeights(hidden)
      return [perHead, this.model.predict(x) as tf.Tensor3D]
    })
    const perHead = (weights.arraySync() as number[][][][])[0]!
    const expected = inverse(this.scaler, reconstruction.dataSync() as Float32Array)
    tf.dispose([weights, reconstruction])
    const attention = perHead[0]!.map((row, i) =>
      row.map((_, j) => perHead.reduce((sum, head) => sum + head[i]![j]!, 0) / perHead.length),
    )
    return {
      score: scored.score[0]!,
      contributions: Array.from(scored.contributions),
      attention,
      perHead,
      expected: Array.from({ length: w }, (_, r) =>
        Array.from(expected.subarray(r * cols, (r + 1) * cols)),
      ),
    }
  }

  /** Frees the model's weights. The scorer cannot be used afterwards. */
  dispose(): void {
    this.model.dispose()
  }

  /** The part of the network in front of the attention layer (shares its weights). */
  private attentionInput(): tf.LayersModel {
    this.encoder ??= tf.model({
      inputs: this.model.inputs,
      outputs: attentionLayerOf(this.model).input as tf.SymbolicTensor,
    })
    return this.encoder
  }
}
