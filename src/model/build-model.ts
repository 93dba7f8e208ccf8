// The attention autoencoder. One window [W, S] of scaled samples in, its reconstruction out.
//
//   input [W, S]
//   → dense S→dModel per step (linear embedding) + fixed sinusoidal position code
//   → VigilAttention (dot | scaled-dot | multi-head) with a residual and layer normalization:
//     each step sees its own embedding and what the other steps of the window say about it
//   → dense dModel→4 per step (tanh), flattened to W·4, → dense → latent of L = clamp(2S, 8, 32)
//     (tanh) for the WHOLE window → dense → W·4 → dense 4→dModel (relu) → dense dModel→S per step
//   output [W, S]
//
// Why the window-wide bottleneck: with a per-step bottleneck as wide as the sensors, the residual
// path lets the network drift towards copying its input, and a sensor that jumps is then partly
// reconstructed (measured: anomaly/normal score ratio ~15 after 25 epochs on a synthetic machine).
// A window must instead be described by L numbers, i.e. as a point of the normal patterns it was
// trained on, so values off those patterns cannot be rebuilt (same test: ratio ~70).
// Training also corrupts the inputs with seeded Gaussian noise (a denoising autoencoder; see
// train-model.ts) instead of dropout layers: tfjs dropout with a fixed seed reuses one mask for
// every batch, and without a seed it is not repeatable. Noise in the training loop is both.
// About 9,500 parameters for S = 8, dModel = 32, W = 32 (attention ~4,200, latent ~4,200).
import * as tf from '@tensorflow/tfjs'
import type { ModelSpec } from '../contract'
import { AttentionLayer } from './attention-layer'
import { LayerNorm } from './layer-norm'
import { PositionalEncoding } from './positional-encoding'

/** Width of each step's code before the window is folded into its latent. */
const STEP_CODE = 4
/** Width of the window's latent for S sensors: 2 per sensor, between 8 and 32. */
export const latentWidth = (sensors: number): number => Math.min(32, Math.max(8, 2 * sensors))

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
  const normalized = new LayerNorm({ name: 'norm' }).apply(residual) as tf.SymbolicTensor
  // Per-step code → the whole window's latent → back to per-step codes.
  const code = dense(STEP_CODE, 'step_code', 2, 'tanh').apply(normalized)
  const flat = tf.layers.flatten({ name: 'flatten' }).apply(code)
  const latent = dense(latentWidth(sensors), 'latent', 5, 'tanh').apply(flat)
  const unfolded = dense(windowSize * STEP_CODE, 'unlatent', 6, 'tanh').apply(latent)
  const steps = tf.layers
    .reshape({ name: 'steps', targetShape: [windowSize, STEP_CODE] })
    .apply(unfolded)
  const hidden = dense(dModel, 'expand', 3, 'relu').apply(steps)
  const output = dense(sensors, 'reconstruct', 4).apply(hidden) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: output, name: 'vigil_attention_autoencoder' })
}

/** The attention layer of a model built by {@link buildModel}. */
export function attentionLayerOf(model: tf.LayersModel): AttentionLayer {
  const layer = model.getLayer('attention')
  if (!(layer instanceof AttentionLayer)) throw new Error('model has no VigilAttention layer')
  return layer
}
