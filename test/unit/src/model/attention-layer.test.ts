import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AttentionKind, ModelSpec } from '../../../../src/contract'
import { AttentionLayer } from '../../../../src/model/attention-layer'
import { selectBackend } from '../../../../src/model/backend'
import { attentionLayerOf, buildModel } from '../../../../src/model/build-model'
import { loadModel, serializeModel } from '../../../../src/model/model-artifact'

const KINDS: AttentionKind[] = ['dot', 'scaled-dot', 'multi-head']

const spec = (attention: AttentionKind): ModelSpec => ({
  sensorIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
  windowSize: 12,
  dModel: 16,
  attention,
  heads: 4,
})

const randomInput = (shape: [number, number, number], seed: number) =>
  tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor3D

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('AttentionLayer', () => {
  it.each(KINDS)('%s keeps the shape [batch, W, dModel]', (kind) => {
    const layer = new AttentionLayer({ kind, dModel: 16, heads: 4, seed: 1 })
    const x = randomInput([3, 10, 16], 2)
    const y = layer.apply(x) as tf.Tensor
    expect(y.shape).toEqual([3, 10, 16])
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true)
    // Q, K, V and output projections are trainable.
    expect(layer.trainableWeights).toHaveLength(8)
    tf.dispose([x, y])
  })

  it.each(KINDS)('%s gives attention weights whose rows sum to 1', (kind) => {
    const layer = new AttentionLayer({ kind, dModel: 16, heads: 4, seed: 1 })
    const x = randomInput([2, 7, 16], 3)
    const w = layer.attentionWeights(x)
    expect(w.shape).toEqual([2, kind === 'multi-head' ? 4 : 1, 7, 7])
    const sums = w.sum(-1)
    for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5)
    expect(w.min().dataSync()[0]).toBeGreaterThanOrEqual(0)
    tf.dispose([x, w, sums])
  })

  it('scaled-dot attends less sharply than dot on the same weights', () => {
    const dot = new AttentionLayer({ kind: 'dot', dModel: 16, heads: 1, seed: 5 })
    const scaled = new AttentionLayer({ kind: 'scaled-dot', dModel: 16, heads: 1, seed: 5 })
    const x = randomInput([1, 9, 16], 4).mul(3) as tf.Tensor3D
    const peak = (layer: AttentionLayer) => layer.attentionWeights(x).max(-1).mean().dataSync()[0]!
    expect(peak(dot)).toBeGreaterThan(peak(scaled))
  })

  it('rejects multi-head attention when heads do not divide dModel', () => {
    expect(() => new AttentionLayer({ kind: 'multi-head', dModel: 16, heads: 3 })).toThrow(
      /multiple of the number of heads/,
    )
    // The single-head kinds do not use heads.
    expect(() => new AttentionLayer({ kind: 'dot', dModel: 16, heads: 3 })).not.toThrow()
  })

  it('round-trips its configuration', () => {
    const layer = new AttentionLayer({ kind: 'multi-head', dModel: 16, heads: 2, seed: 9 })
    const config = layer.getConfig()
    const copy = AttentionLayer.fromConfig(AttentionLayer, config) as AttentionLayer
    expect(copy).toBeInstanceOf(AttentionLayer)
    expect(copy.getConfig()).toEqual(config)
    expect(copy.kind).toBe('multi-head')
    expect(copy.heads).toBe(2)
  })
})

describe('buildModel', () => {
  it.each(KINDS)('%s: [W, S] in, [W, S] out, a few thousand parameters', (kind) => {
    const model = buildModel(spec(kind), 1)
    expect(model.inputs[0]!.shape).toEqual([null, 12, 8])
    expect(model.outputs[0]!.shape).toEqual([null, 12, 8])
    expect(model.countParams()).toBeGreaterThan(1000)
    expect(model.countParams()).toBeLessThan(12_000)
    expect(attentionLayerOf(model).kind).toBe(kind)
    model.dispose()
  })

  it('gives the same initial weights for the same seed, others for another seed', () => {
    const weights = (seed: number) => {
      const model = buildModel(spec('multi-head'), seed)
      const values = model.getWeights().map((w) => Array.from(w.dataSync()))
      model.dispose()
      return values
    }
    expect(weights(7)).toEqual(weights(7))
    expect(weights(7)).not.toEqual(weights(8))
  })

  it.each(KINDS)('%s: saves and loads back with identical predictions', async (kind) => {
    const model = buildModel(spec(kind), 3)
    const x = randomInput([4, 12, 8], 11)
    const before = model.predict(x) as tf.Tensor
    const saved = await serializeModel(model)
    // The artifact is plain data: it survives structured cloning (worker postMessage).
    const loaded = await loadModel(structuredClone(saved))
    const after = loaded.predict(x) as tf.Tensor
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()))
    expect(attentionLayerOf(loaded).getConfig()).toEqual(attentionLayerOf(model).getConfig())
    tf.dispose([x, before, after])
    model.dispose()
    loaded.dispose()
  })
})
