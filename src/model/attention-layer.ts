// Self-attention over the time steps of one window, as a real Keras-style layer so a model that
// contains it saves and loads with the rest of TensorFlow.js (topology JSON + weight blob).
//
// 'dot'        softmax(Q Kᵀ) V                          one head over the full width
// 'scaled-dot' softmax(Q Kᵀ / √d) V                     one head, d = dModel
// 'multi-head' heads × scaled-dot on dModel/heads-wide slices, concatenated
// Every kind ends with the same output projection so the kinds differ only in how steps compare.
import * as tf from '@tensorflow/tfjs'
import type { AttentionKind } from '../contract'

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>

export interface AttentionLayerArgs extends LayerArgs {
  kind: AttentionKind
  dModel: number
  /** Heads for 'multi-head'; the single-head kinds ignore it and use 1. */
  heads: number
  /** Seed of the weight initializers: same seed, same initial weights. */
  seed?: number
}

/** Checks a configuration and returns the number of heads actually used. */
export function attentionHeads(kind: AttentionKind, dModel: number, heads: number): number {
  if (!Number.isInteger(dModel) || dModel < 1) throw new Error(`dModel must be a positive integer`)
  if (kind !== 'multi-head') return 1
  if (!Number.isInteger(heads) || heads < 1) throw new Error(`heads must be a positive integer`)
  if (dModel % heads !== 0) {
    throw new Error(`dModel (${dModel}) must be a multiple of the number of heads (${heads})`)
  }
  return heads
}

/** Input [batch, W, dModel] → output [batch, W, dModel]; see the top of this file. */
export class AttentionLayer extends tf.layers.Layer {
  static readonly className = 'VigilAttention'

  readonly kind: AttentionKind
  readonly dModel: number
  readonly heads: number
  readonly seed: number
  private readonly usedHeads: number
  private projections: tf.LayerVariable[] = []

  constructor(args: AttentionLayerArgs) {
    super(args)
    this.kind = args.kind
    this.dModel = args.dModel
    this.heads = args.heads
    this.seed = args.seed ?? 0
    this.usedHeads = attentionHeads(args.kind, args.dModel, args.heads)
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    if (shape.length !== 3 || shape[2] !== this.dModel) {
      throw new Error(`VigilAttention expects [batch, steps, ${this.dModel}], got [${shape}]`)
    }
    const d = this.dModel
    // Q, K, V and the output projection, each a kernel and a bias.
    this.projections = ['query', 'key', 'value', 'output'].flatMap((name, i) => [
      this.addWeight(
        `${name}_kernel`,
        [d, d],
        'float32',
        tf.initializers.glorotUniform({ seed: this.seed + 2 * i }),
      ),
      this.addWeight(`${name}_bias`, [d], 'float32', tf.initializers.zeros()),
    ])
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D
      const { weights, values } = this.attend(x)
      const [batch, steps] = x.shape
      // [B, H, W, dk] → [B, W, H, dk] → [B, W, dModel]
      const mixed = tf.matMul(weights, values).transpose([0, 2, 1, 3])
      return this.project(mixed.reshape([batch, steps, this.dModel]), 3)
    })
  }

  /**
   * The attention weights for an input [batch, W, dModel]: [batch, heads, W, W], each row a
   * softmax (sums to 1); weights[b][h][i][j] is how much step i looks at step j.
   */
  attentionWeights(x: tf.Tensor3D): tf.Tensor4D {
    return tf.tidy(() => this.attend(x).weights)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      kind: this.kind,
      dModel: this.dModel,
      heads: this.heads,
      seed: this.seed,
    }
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config)
  }

  /** Softmax weights [B, H, W, W] and values [B, H, W, dk]; call inside a tidy. */
  private attend(x: tf.Tensor3D): { weights: tf.Tensor4D; values: tf.Tensor4D } {
    if (!this.built) this.build(x.shape)
    const [batch, steps] = x.shape
    const h = this.usedHeads
    const dk = this.dModel / h
    // [B, W, dModel] → [B, H, W, dk] (or [B, H, dk, W] for the keys: wasm multiplies
    // untransposed operands about twice as fast as it applies transposeB).
    const split = (t: tf.Tensor, order: number[]): tf.Tensor4D =>
      t.reshape([batch, steps, h, dk]).transpose(order) as tf.Tensor4D
    const q = split(this.project(x, 0), [0, 2, 1, 3])
    const kT = split(this.project(x, 1), [0, 2, 3, 1])
    const v = split(this.project(x, 2), [0, 2, 1, 3])
    let logits = tf.matMul(q, kT)
    if (this.kind !== 'dot') logits = logits.mul(1 / Math.sqrt(dk))
    return { weights: tf.softmax(logits) as tf.Tensor4D, values: v }
  }

  /** Projection `i` (0 query, 1 key, 2 value, 3 output) of x [B, W, dModel], one matMul. */
  private project(x: tf.Tensor, i: number): tf.Tensor3D {
    const [batch, steps] = x.shape as [number, number, number]
    const kernel = this.projections[2 * i]!.read()
    const bias = this.projections[2 * i + 1]!.read()
    return tf
      .matMul(x.reshape([batch * steps, this.dModel]), kernel)
      .add(bias)
      .reshape([batch, steps, this.dModel])
  }
}
tf.serialization.registerClass(AttentionLayer)
