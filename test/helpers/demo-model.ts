import { startTrainingParamsSchema, type TrainingProgress } from '../../src/contract'
import { Monitor } from '../../src/monitor/monitor'
import { FakeClock } from './fake-clock'
import { until } from './until'
import { as } from './callers'

const HOUR = 3_600_000

/**
 * A monitor on the demo plant (6 h of simulated history, a fake clock, the cpu backend) with a
 * small model trained on that history and activated. `close` must be called.
 */
export async function demoWithActiveModel(dataDir: string, seed = 3) {
  const clock = new FakeClock()
  const m = await Monitor.create({
    dataDir,
    host: 'test',
    demo: { seed, historyMs: 6 * HOUR },
    clock,
    backend: 'cpu',
    maintenanceIntervalMs: 0,
  })
  const progress: TrainingProgress[] = []
  const off = m.on('training', (p) => progress.push(p))
  const sensors = (await m.methods.listSensors({}, as('engineer'))).map((s) => s.id)
  const now = clock.now()
  const started = await m.methods.startTraining(
    startTrainingParamsSchema.parse({
      name: 'pump normal',
      spec: { sensorIds: sensors, windowSize: 16, dModel: 16, heads: 2 },
      from: now - 6 * HOUR,
      to: now,
      options: { epochs: 4, stride: 8 },
      activate: true,
    }),
    as('engineer'),
  )
  const done = await until('training to end', () =>
    progress.find((p) => ['done', 'failed', 'cancelled'].includes(p.state)),
  )
  off()
  return { m, clock, sensors, started, done, progress }
}
