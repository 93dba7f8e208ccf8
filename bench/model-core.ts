import type { ModelSpec, TrainingOptions } from '../src/contract'
import { gaussian, seededRandom } from '../src/ingest/random'
import { buildModel } from '../src/model/build-model'
import { serializeModel } from '../src/model/model-artifact'
import { MAX_EPOCH_WINDOWS, trainModel } from '../src/model/train-model'
import { WindowScorer } from '../src/model/window-scorer'
import type { Matrix } from '../src/model/windows'
import { report } from './report'

/** A plant at 1 Hz: `sensors` related oscillations, a slow drift and noise. */
function plant(rows: number, sensors: number): Matrix {
  const noise = gaussian(seededRandom(3))
  const values = new Float32Array(rows * sensors)
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < sensors; s++) {
      const phase = (2 * Math.PI * r) / (300 + 40 * (s % 3)) + s
      values[r * sensors + s] = 10 * s + 5 * Math.sin(phase) + 0.001 * r + 0.2 * noise()
    }
  }
  return { rows, cols: sensors, values }
}

const spec = (sensors: number): ModelSpec => ({
  sensorIds: Array.from({ length: sensors }, (_, i) => `bench.s${i}`),
  windowSize: 32,
  dModel: 32,
  attention: 'multi-head',
  heads: 4,
})

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since)
  return (u.user + u.system) / 1000
}

/** Training throughput (defaults but 3 epochs on 6 h), then live and batch scoring speed. */
export async function benchModelCore(context: Record<string, unknown>): Promise<void> {
  // Training: 6 hours of 8 sensors at 1 Hz with the default options, three epochs.
  const sensors = 8
  const rows = 6 * 3600
  const options: TrainingOptions = {
    stride: 4,
    epochs: 3,
    batchSize: 64,
    learningRate: 0.002,
    validationFraction: 0.2,
    patience: 5,
    seed: 42,
  }
  const trainSpec = spec(sensors)
  const cpu = process.cpuUsage()
  const trained = await trainModel({ matrix: plant(rows, sensors), spec: trainSpec, options })
  const m = trained.metrics
  const seconds = m.durationMs / 1000
  const processed = Math.min(m.trainWindows, MAX_EPOCH_WINDOWS) * m.epochsRun
  const windowsPerS = processed / seconds
  const shape = { W: 32, dModel: 32, S: sensors, attention: 'multi-head', heads: 4, batch: 64 }
  report('model.train.windows_per_s', windowsPerS, 'windows/s', {
    ...context,
    ...shape,
    parameters: m.parameters,
    epochs: m.epochsRun,
    cpuFraction: Number((cpuMs(cpu) / m.durationMs).toFixed(2)),
  })
  report('model.train.windows_per_cpu_s', processed / (cpuMs(cpu) / 1000), 'windows/s', {
    ...context,
    ...shape,
    note: 'per second of CPU time: what one free core would do',
  })
  // 24 h at 1 Hz, stride 4: ~17,300 training windows, of which an epoch trains on at most
  // MAX_EPOCH_WINDOWS; the validation loss adds about 1/4 of that in forward passes.
  const epochWindows = Math.min(Math.floor(((86_400 - 32) / 4 + 1) * 0.8), MAX_EPOCH_WINDOWS)
  const perEpochS = (seconds / processed) * epochWindows
  const cpuPerWindowS = cpuMs(cpu) / 1000 / processed
  report('model.train.est_24h_8x1hz_30_epochs_s', perEpochS * 30, 's', {
    ...context,
    ...shape,
    note: 'wall time at the load this run saw, no early stop',
  })
  report('model.train.est_24h_8x1hz_30_epochs_cpu_s', cpuPerWindowS * epochWindows * 30, 's', {
    ...context,
    ...shape,
    note: 'CPU time: the wall time on one free core, no early stop',
  })

  // Scoring: 16 sensors, W = 32, stride 1. Weights do not change the cost; an untrained model
  // with an identity scaler is enough.
  const scoreSensors = 16
  const scoreSpec = spec(scoreSensors)
  const model = buildModel(scoreSpec, 1)
  const artifact = {
    ...(await serializeModel(model)),
    spec: scoreSpec,
    scaler: { center: Array(scoreSensors).fill(0), scale: Array(scoreSensors).fill(1) },
  }
  model.dispose()
  const scorer = await WindowScorer.load(artifact)
  const data = plant(4000, scoreSensors).values
  scorer.score(data.subarray(0, 300 * scoreSensors)) // warm-up
  const batchStart = performance.now()
  const out = scorer.score(data)
  const batchS = (performance.now() - batchStart) / 1000
  report('model.score.samples_per_s', (out.count * scoreSensors) / batchS, 'samples/s', {
    ...context,
    W: 32,
    dModel: 32,
    S: scoreSensors,
    rowsPerS: out.count / batchS,
    note: 'one row = one time step of all sensors; one window scored per row (stride 1), in one call',
  })

  // Live: 100 Hz arrives in 250 ms batches of 25 rows; each call carries the previous 31 rows.
  const rate = 100
  const batchRows = 25
  const seconds10 = 10
  const liveCpu = process.cpuUsage()
  const liveStart = performance.now()
  for (let b = 0; b < (seconds10 * rate) / batchRows; b++) {
    const first = 100 + b * batchRows
    scorer.score(data.subarray((first - 31) * scoreSensors, (first + batchRows) * scoreSensors))
  }
  const liveWall = performance.now() - liveStart
  report('model.score.cpu_fraction_16x100hz', cpuMs(liveCpu) / (seconds10 * 1000), 'cores', {
    ...context,
    W: 32,
    dModel: 32,
    S: scoreSensors,
    batchMs: 250,
    wallFraction: Number((liveWall / (seconds10 * 1000)).toFixed(4)),
  })
  scorer.dispose()
}
