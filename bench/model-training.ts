import { monitorEventLoopDelay } from 'node:perf_hooks'
import { startTrainingParamsSchema, type TrainingProgress } from '../src/contract'
import { Monitor } from '../src/monitor/monitor'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'
import { as } from '../test/helpers/callers'

const HOUR = 3_600_000

/**
 * Training as the product does it: the demo plant's 8 sensors at 1 Hz over `hours` of history,
 * default model and training settings, in the training worker, through the monitor. Meanwhile
 * the main thread's event-loop delay is sampled (what serial reads and IPC would feel).
 */
export async function benchModelTraining(
  context: Record<string, unknown>,
  hours: number,
): Promise<void> {
  const tmp = makeTempDir('vigil-bench-train-')
  const m = await Monitor.create({
    dataDir: tmp.dir,
    host: 'test',
    demo: { historyMs: hours * HOUR },
    backend: 'skip',
    maintenanceIntervalMs: 0,
  })
  try {
    const sensors = (await m.methods.listSensors({}, as('engineer'))).map((s) => s.id)
    const now = Date.now()
    const params = startTrainingParamsSchema.parse({
      name: 'bench',
      spec: { sensorIds: sensors },
      from: now - hours * HOUR,
      to: now,
    })
    const delay = monitorEventLoopDelay({ resolution: 5 })
    let end: TrainingProgress | null = null
    let firstProgressMs: number | null = null
    const started = performance.now()
    m.on('training', (p) => {
      if (firstProgressMs === null && p.state === 'training' && p.batch > 0)
        firstProgressMs = performance.now() - started
      if (['done', 'failed', 'cancelled'].includes(p.state)) end = p
    })
    delay.enable()
    await m.methods.startTraining(params, as('engineer'))
    while (end === null) await new Promise((r) => setTimeout(r, 50))
    delay.disable()
    const seconds = (performance.now() - started) / 1000
    const done = end as TrainingProgress
    if (done.state !== 'done') throw new Error(`training ${done.state}: ${done.error}`)
    const model = (await m.methods.listModels({}, as('engineer')))[0]
    const figures = {
      ...context,
      backend: model?.backend ?? context.backend,
      hours,
      sensors: sensors.length,
      windowSize: params.spec.windowSize,
      dModel: params.spec.dModel,
      attention: params.spec.attention,
      stride: params.options.stride,
      epochsRun: model?.metrics.epochsRun,
      windows: done.windows,
      parameters: model?.metrics.parameters,
    }
    report(`model.train.${hours}h_${sensors.length}_sensors.s`, seconds, 's', {
      ...figures,
      firstProgressS: firstProgressMs === null ? null : firstProgressMs / 1000,
    })
    report('model.train.event_loop_p99_ms', delay.percentile(99) / 1e6, 'ms', {
      ...figures,
      maxMs: delay.max / 1e6,
      meanMs: delay.mean / 1e6,
    })
  } finally {
    await m.close()
    tmp.remove()
  }
}
