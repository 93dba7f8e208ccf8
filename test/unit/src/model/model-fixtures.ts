import { gaussian, seededRandom } from '../../../../src/ingest/random'
import type { ModelSpec, TrainingOptions } from '../../../../src/contract'
import type { Matrix } from '../../../../src/model/windows'

/**
 * Four sensors of a running machine: two related oscillations in quadrature, one that follows
 * the first with a lag and offset, one slow drift; a little seeded noise on each.
 */
export function machine(rows: number, seed = 1): Matrix {
  const noise = gaussian(seededRandom(seed))
  const cols = 4
  const values = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) {
    const a = Math.sin((2 * Math.PI * r) / 40)
    values[r * cols] = 50 + 10 * a + 0.3 * noise()
    values[r * cols + 1] = 2 + Math.cos((2 * Math.PI * r) / 40) + 0.05 * noise()
    values[r * cols + 2] = 100 + 20 * Math.sin((2 * Math.PI * (r - 5)) / 40) + 0.5 * noise()
    values[r * cols + 3] = 7 + 0.5 * Math.sin((2 * Math.PI * r) / 400) + 0.02 * noise()
  }
  return { rows, cols, values }
}

export const smallSpec: ModelSpec = {
  sensorIds: ['temp', 'pressure', 'flow', 'level'],
  windowSize: 16,
  dModel: 16,
  attention: 'multi-head',
  heads: 4,
}

export const quickOptions: TrainingOptions = {
  stride: 2,
  epochs: 6,
  batchSize: 32,
  learningRate: 0.01,
  validationFraction: 0.2,
  patience: 3,
  seed: 42,
}
