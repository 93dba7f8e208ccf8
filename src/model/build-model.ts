// The attention autoencoder. One window [W, S] of scaled samples in, its reconstruction out.
//
//   input [W, S]
//   → dense S→dModel per step (linear embedding) + fixed sinusoidal position code
//   → VigilAttention (dot | scaled-dot | multi-head) with a residual and layer normalization:
//     each step sees its own embedding and what the other steps of the window say about it
//   → dense dModel→b per step, tanh: the bottleneck, b = max(2, ⌊S/2⌋) < dModel, so the network
//     must describe a step by how it fits the sensors' joint pattern rather than copy it
//   → dense b→dModel (relu) → dense dModel→S per step
//   output [W, S]
//
// Training also corrupts the inputs with seeded Gaussian noise (a denoising autoencoder; see
// train-model.ts) instead of dropout layers: tfjs dropout with a fixed seed reuses one mask for
// every batch, and without a seed it is not repeatable. Noise in the training loop is both.
// About 5,000 parameters for S = 8, dModel = 32.
import * as tf from '@tensorflow/tfjs'
import type { ModelSpec } from '../contract'
import { AttentionLayer } from './attention-layer'
import { PositionalEncoding } from './positional-encoding'

/** Width of the per-step bottleneck for S sensors. */
export const bottleneckWidth = (sensors: number): number => Math.max(2, Math.floor(sensors / 2))

/** Builds a fresh, untrained model; the same spec and seed give the same initial weights. */
export function buildModel(spec: ModelSpec, seed: number): tf.LayersModel {
  const sensors = spec.sensorIds.length
  const { windowSize, dModel } = spec
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed * 101 + offset })
  const dense = (units: number, name: string, offset: number, activation?: 'relu' | 'tanh') =>
    tf.layers.dense({ units, name, activation, kernelInitializer: init(offset) })

  const input = tf.input({ shape: [windowSize, sensors], name: 'window' })
  const embedded = dense(dModel, 'embed', 1).apply(input) as tf.SymbolicTensor
  const positioned = new PositionalEncoding({ name: 'positions' }).apply(
    embedded,
  ) as tf.SymbolicTensor
  const attended = new AttentionLayer({
    name: 'attention',
    kind: spec.attention,
    dModel,
    heads: spec.heads,
    seed: seed * 101 + 10,
  }).apply(positioned) as tf.SymbolicTensor
  const residual = tf.layers.add({ name: 'residual' }).apply([positioned, attended])
  const normalized = tf.layers
    .layerNormalization({ name: 'norm', axis: -1 })
    .apply(residual) as tf.SymbolicTensor
  const code = dense(bottleneckWidth(sensors), 'bottleneck', 2, 'tanh').apply(normalized)
  const hidden = dense(dModel, 'expand', 3, 'relu').apply(code)
  const output = dense(sensors, 'reconstruct', 4).apply(hidden) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: output, name: 'vigil_attention_autoencoder' })
}

/** The attention layer of a model built by {@link buildModel}. */
export function attentionLayerOf(model: tf.LayersModel): AttentionLayer {
  const layer = model.getLayer('attention')
  if (!(layer instanceof AttentionLayer)) throw new Error('model has no VigilAttention layer')
  return layer
}
