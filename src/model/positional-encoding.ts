// The fixed sinusoidal position code of "Attention is all you need", added to each time step so
// attention can tell steps apart. No weights: it is a layer only so the model serializes whole.
import * as tf from '@tensorflow/tfjs'

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>

/** The code for `steps` × `width`, row-major: sin on even columns, cos on odd ones. */
export function sinusoidalPositions(steps: number, width: number): Float32Array {
  const out = new Float32Array(steps * width)
  for (let p = 0; p < steps; p++) {
    for (let i = 0; i < width; i++) {
      const angle = p / Math.pow(10_000, (2 * Math.floor(i / 2)) / width)
      out[p * width + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle)
    }
  }
  return out
}

/** Input [batch, W, d] → the same plus the position code of each step. */
export class PositionalEncoding extends tf.layers.Layer {
  static readonly className = 'VigilPositionalEncoding'
  private code: { steps: number; width: number; values: Float32Array } | null = null

  constructor(args: LayerArgs = {}) {
    super(args)
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D
      const [, steps, width] = x.shape
      if (!this.code || this.code.steps !== steps || this.code.width !== width) {
        this.code = { steps, width, values: sinusoidalPositions(steps, width) }
      }
      return x.add(tf.tensor2d(this.code.values, [steps, width]))
    })
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config)
  }
}
tf.serialization.registerClass(PositionalEncoding)
