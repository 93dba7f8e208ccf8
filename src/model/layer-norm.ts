// Layer normalization over the last axis, written with broadcasting ops. tfjs-layers' own
// LayerNormalization broadcasts with Tile, whose gradient is a loop of Slice + Add per element:
// it made one training batch take seconds on wasm. This one is a handful of fused-friendly ops.
import * as tf from '@tensorflow/tfjs'

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>

export class LayerNorm extends tf.layers.Layer {
  static readonly className = 'VigilLayerNorm'
  private static readonly EPSILON = 1e-3
  private gamma: tf.LayerVariable | null = null
  private beta: tf.LayerVariable | null = null

  constructor(args: LayerArgs = {}) {
    super(args)
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape
    const width = shape[shape.length - 1]
    if (typeof width !== 'number') throw new Error('VigilLayerNorm needs a known last dimension')
    this.gamma = this.addWeight('gamma', [width], 'float32', tf.initializers.ones())
    this.beta = this.addWeight('beta', [width], 'float32', tf.initializers.zeros())
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs
      const centered = x.sub(x.mean(-1, true))
      const variance = centered.square().mean(-1, true)
      return centered
        .mul(variance.add(LayerNorm.EPSILON).rsqrt())
        .mul(this.gamma!.read())
        .add(this.beta!.read())
    })
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config)
  }
}
tf.serialization.registerClass(LayerNorm)
