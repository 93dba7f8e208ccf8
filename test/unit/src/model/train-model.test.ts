import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/model/backend'
import { trainModel, TrainingCancelled, TrainingDataError } from '../../../../src/model/train-model'
import { loadModel } from '../../../../src/model/model-artifact'
import { machine, quickOptions, smallSpec } from './model-fixtures'

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('trainModel', () => {
  it('learns the machine: the validation loss falls, without leaking tensors', async () => {
    const before = tf.memory().numTensors
    const epochs: number[] = []
    let progressCalls = 0
    const result = await trainModel(
      { matrix: machine(1200), spec: smallSpec, options: quickOptions },
      { onEpoch: (p) => epochs.push(p.epoch), onProgress: () => progressCalls++ },
    )
    expect(tf.memory().numTensors).toBe(before)
    const { history, metrics } = result
    expect(epochs).toEqual(history.map((p) => p.epoch))
    expect(progressCalls).toBeGreaterThan(history.length)
    const first = history[0]!.valLoss!
    expect(metrics.valLoss).toBeLessThan(first * 0.7)
    expect(metrics.valLoss).toBe(Math.min(...history.map((p) => p.valLoss!)))
    // Validation scores are the live score of every stride-1 window of the validation part
    // (consecutive samples, as live), not only of the windows at the training stride; their
    // mean is about the validation loss (the same windows and more).
    const valRows = 1200 - (metrics.trainWindows - 1) * quickOptions.stride - smallSpec.windowSize
    expect(result.validationScores.length).toBe(valRows - smallSpec.windowSize + 1)
    expect(result.validationScores.length).toBe((metrics.valWindows - 1) * quickOptions.stride + 1)
    const meanScore =
      result.validationScores.reduce((a, b) => a + b, 0) / result.validationScores.length
    expect(meanScore / metrics.valLoss).toBeGreaterThan(0.8)
    expect(meanScore / metrics.valLoss).toBeLessThan(1.25)
    expect(metrics.trainWindows + metrics.valWindows).toBeLessThanOrEqual(593)
    expect(metrics.parameters).toBeGreaterThan(0)
    // Each sensor's typical validation error, the adapted score's reference: the score is the
    // mean of the sensors' errors, so the references add up to about the median score.
    expect(metrics.valSensorP50).toHaveLength(smallSpec.sensorIds.length)
    expect(metrics.valSensorP50.every((v) => v > 0)).toBe(true)
    const medianScore = Float64Array.from(result.validationScores).sort()[
      result.validationScores.length >> 1
    ]!
    const meanReference =
      metrics.valSensorP50.reduce((a, b) => a + b, 0) / metrics.valSensorP50.length
    expect(meanReference / medianScore).toBeGreaterThan(0.5)
    expect(meanReference / medianScore).toBeLessThan(1.5)
    // The artifact is plain data that loads back.
    const model = await loadModel(structuredClone(result.artifact))
    expect(model.countParams()).toBe(metrics.parameters)
    model.dispose()
  })

  it('is repeatable: same seed, same weights and scores', async () => {
    const options = { ...quickOptions, epochs: 2 }
    const run = () => trainModel({ matrix: machine(800), spec: smallSpec, options })
    const [a, b] = [await run(), await run()]
    expect(Array.from(a.artifact.weightData)).toEqual(Array.from(b.artifact.weightData))
    expect(Array.from(a.validationScores)).toEqual(Array.from(b.validationScores))
    const c = await trainModel({
      matrix: machine(800),
      spec: smallSpec,
      options: { ...options, seed: 7 },
    })
    expect(Array.from(c.validationScores)).not.toEqual(Array.from(a.validationScores))
  })

  it('fits the scaler on the training part only', async () => {
    const m = machine(800)
    // The last 20% of the rows (the validation part) is shifted far away.
    for (let r = 640; r < 800; r++) m.values[r * 4] = m.values[r * 4]! + 1000
    const result = await trainModel({
      matrix: m,
      spec: smallSpec,
      options: { ...quickOptions, epochs: 1 },
    })
    expect(result.artifact.scaler.center[0]).toBeLessThan(70)
  })

  it('stops at the next batch with TrainingCancelled when aborted', async () => {
    const before = tf.memory().numTensors
    const controller = new AbortController()
    let batchesAfterAbort = 0
    const training = trainModel(
      { matrix: machine(1200), spec: smallSpec, options: { ...quickOptions, epochs: 100 } },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (controller.signal.aborted) batchesAfterAbort++
          else if (p.epoch === 1 && p.batch === 3) controller.abort()
        },
      },
    )
    await expect(training).rejects.toBeInstanceOf(TrainingCancelled)
    // Not one more batch is trained once the abort is seen: it is checked before each batch.
    expect(batchesAfterAbort).toBe(0)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('explains too little data in numbers', async () => {
    const attempt = trainModel({ matrix: machine(100), spec: smallSpec, options: quickOptions })
    await expect(attempt).rejects.toBeInstanceOf(TrainingDataError)
    const message = await attempt.catch((e: Error) => e.message)
    const windows = Math.floor((100 - smallSpec.windowSize) / quickOptions.stride) + 1
    expect(message).toContain(`Only ${windows} complete windows of ${smallSpec.windowSize} samples`)
    expect(message).toContain('from 100 samples')
    expect(message).toContain(`at least ${2 * quickOptions.batchSize} training windows`)
  })

  it('counts windows spoiled by long gaps as unusable', async () => {
    const m = machine(1200)
    // A missing value every 10 rows: no window of 16 is ever complete.
    for (let r = 0; r < 1200; r += 10) m.values[r * 4 + 1] = NaN
    const attempt = trainModel({ matrix: m, spec: smallSpec, options: quickOptions, maxGap: 0 })
    await expect(attempt).rejects.toThrow(/Only 0 complete windows/)
  })
})
