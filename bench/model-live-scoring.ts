import {
  startTrainingParamsSchema,
  type SampleBatch,
  type Sensor,
  type TrainingProgress,
} from '../src/contract'
import { Historian } from '../src/historian/historian'
import { silentLogger } from '../src/log/logger'
import { ModelService } from '../src/model/service/model-service'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const SENSORS = 16
const RATE_HZ = 100
const BATCH_MS = 250

function sensor(i: number): Sensor {
  return {
    id: `s${i}`,
    name: `s${i}`,
    localizedNames: {},
    unit: '',
    sourceId: 'bench',
    normalMin: null,
    normalMax: null,
    periodMs: 1000 / RATE_HZ,
    decimals: 3,
  }
}

/** One batch of `rows` time steps of all sensors from `t0`: coupled sines with noise. */
function batch(t0: number, rows: number): SampleBatch {
  const b: SampleBatch = { sensorIds: [], t: [], values: [] }
  for (let r = 0; r < rows; r++) {
    const t = t0 + r * (1000 / RATE_HZ)
    for (let s = 0; s < SENSORS; s++) {
      b.sensorIds.push(`s${s}`)
      b.t.push(t)
      b.values.push(Math.sin(t / 3000 + s) + 0.5 * Math.sin(t / 700) + 0.05 * Math.random())
    }
  }
  return b
}

/**
 * Live scoring as the product does it, 16 sensors at 100 Hz: samples → rows → a window ending at
 * every row scored in the scoring worker → smoothing → the score and expected values stored.
 * CPU time of the whole process (main thread and workers) per second of data, in real time.
 */
export async function benchModelLiveScoring(
  context: Record<string, unknown>,
  seconds = 20,
): Promise<void> {
  const tmp = makeTempDir('vigil-bench-live-')
  const historian = new Historian(tmp.dir, { log: silentLogger })
  let scored = 0
  const service = new ModelService({
    historian,
    now: () => Date.now(),
    log: silentLogger,
    store: (samples) =>
      historian.writeBatch({
        sensorIds: samples.map((s) => s.sensorId),
        t: samples.map((s) => s.t),
        values: samples.map((s) => s.value),
      }),
    onTraining: () => undefined,
    onScores: (b) => {
      scored += b.t.length
    },
  })
  try {
    historian.registerSensors(Array.from({ length: SENSORS }, (_, i) => sensor(i)))
    // Ten minutes of history to train a model of the stated size on (few epochs: only speed counts here).
    const now = Date.now()
    const from = now - 10 * 60_000
    historian.bulkInsert(
      (function* () {
        for (let t = from; t < now; t += 10_000) yield batch(t, 10_000 / (1000 / RATE_HZ))
      })(),
    )
    const params = startTrainingParamsSchema.parse({
      name: 'bench',
      spec: { sensorIds: Array.from({ length: SENSORS }, (_, i) => `s${i}`) },
      from,
      to: now,
      options: { epochs: 1, stride: 16 },
    })
    let end: TrainingProgress | null = null
    const s2 = new ModelService({
      historian,
      now: () => Date.now(),
      log: silentLogger,
      store: () => undefined,
      onTraining: (p) => {
        if (['done', 'failed', 'cancelled'].includes(p.state)) end = p
      },
      onScores: () => undefined,
    })
    await s2.startTraining(params)
    while (end === null) await new Promise((r) => setTimeout(r, 50))
    await s2.close()
    const done = end as TrainingProgress
    if (done.state !== 'done' || done.modelId === null) throw new Error(`training: ${done.error}`)
    const model = await service.activate(done.modelId)

    // Feed real time: one batch every 250 ms.
    const rowsPerBatch = (RATE_HZ * BATCH_MS) / 1000
    const warm = Date.now()
    for (let i = 0; i < 8; i++) {
      service.onSamples(batch(warm + i * BATCH_MS, rowsPerBatch))
      await new Promise((r) => setTimeout(r, BATCH_MS))
    }
    scored = 0
    const cpu0 = process.cpuUsage()
    const wall0 = performance.now()
    const t0 = Date.now()
    for (let i = 0; i < (seconds * 1000) / BATCH_MS; i++) {
      const b = batch(t0 + i * BATCH_MS, rowsPerBatch)
      historian.writeBatch(b)
      service.onSamples(b)
      const next = wall0 + (i + 1) * BATCH_MS
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())))
    }
    const cpu = process.cpuUsage(cpu0)
    const wall = (performance.now() - wall0) / 1000
    const fraction = (cpu.user + cpu.system) / 1e6 / wall
    const figures = {
      ...context,
      sensors: SENSORS,
      rateHz: RATE_HZ,
      windowSize: model.spec.windowSize,
      dModel: model.spec.dModel,
      attention: model.spec.attention,
      parameters: model.metrics.parameters,
      rowsScored: scored,
      rowsFed: seconds * RATE_HZ,
      includes: 'storage of the samples, the score and 16 expected values',
    }
    report('model.score.live_cpu_fraction_16x100hz', fraction, 'cores', figures)
    report('model.score.live_samples_per_s', (scored * SENSORS) / wall, 'samples/s', {
      ...figures,
      note: 'live path, paced at the real rate: equals the offered rate when it keeps up',
    })
  } finally {
    await service.close()
    historian.close()
    tmp.remove()
  }
}
