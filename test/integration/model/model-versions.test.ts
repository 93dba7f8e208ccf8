import { afterEach, describe, expect, it } from 'vitest'
import {
  startTrainingParamsSchema,
  VigilError,
  type StartTrainingParams,
  type TrainingProgress,
} from '../../../src/contract'
import { Monitor } from '../../../src/monitor/monitor'
import { FakeClock } from '../../helpers/fake-clock'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const HOUR = 3_600_000

async function open(dir: string, clock: FakeClock) {
  const m = await Monitor.create({
    dataDir: dir,
    host: 'test',
    demo: { seed: 5, historyMs: 2 * HOUR },
    clock,
    backend: 'cpu',
    maintenanceIntervalMs: 0,
  })
  return m
}

function params(now: number, sensorIds: string[], extra: Partial<StartTrainingParams> = {}) {
  return startTrainingParamsSchema.parse({
    name: 'v',
    spec: { sensorIds, windowSize: 8, dModel: 8, heads: 2, attention: 'multi-head' },
    from: now - 2 * HOUR,
    to: now,
    options: { epochs: 2, stride: 8 },
    ...extra,
  })
}

async function train(m: Monitor, p: StartTrainingParams): Promise<TrainingProgress> {
  const events: TrainingProgress[] = []
  const off = m.on('training', (e) => events.push(e))
  try {
    const started = await m.startTraining(p)
    return await until('training to end', () =>
      events.find(
        (e) => e.jobId === started.jobId && ['done', 'failed', 'cancelled'].includes(e.state),
      ),
    )
  } finally {
    off()
  }
}

async function rejection(p: Promise<unknown>): Promise<VigilError> {
  try {
    await p
  } catch (err) {
    if (err instanceof VigilError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

describe('model versions', () => {
  it('keeps versions, activates and rolls back, refuses to delete the active one, and scores identically after a restart', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const now = clock.now()
    let m = await open(tmp.dir, clock)
    const sensors = (await m.listSensors()).map((s) => s.id)
    const a = await train(m, params(now, sensors, { name: 'first' }))
    const b = await train(m, params(now, sensors.slice(0, 4), { name: 'second' }))
    expect([a.state, b.state]).toEqual(['done', 'done'])
    const idA = a.modelId as number
    const idB = b.modelId as number
    let models = await m.listModels()
    expect(models.map((x) => x.name)).toEqual(['second', 'first'])
    expect(models.every((x) => !x.active)).toBe(true)
    expect(models[0]?.spec.sensorIds).toEqual(sensors.slice(0, 4))
    expect(models[1]?.metrics.epochsRun).toBeGreaterThan(0)
    expect(models[1]?.threshold).toBeGreaterThan(0)

    await m.activateModel({ id: idB })
    await m.activateModel({ id: idA }) // roll back to the older one
    models = await m.listModels()
    expect(models.filter((x) => x.active).map((x) => x.id)).toEqual([idA])
    expect((await rejection(m.deleteModel({ id: idA }))).code).toBe('NOT_AVAILABLE')
    await m.deleteModel({ id: idB })
    expect((await m.listModels()).map((x) => x.id)).toEqual([idA])

    // A stricter false-alarm rate recalibrates a higher threshold from the stored validation scores.
    const before = (await m.listModels())[0]!
    const stricter = await m.setDetection({
      id: idA,
      detection: { ...before.detection, targetFalseAlarmRate: 0.0001 },
    })
    expect(stricter.calibratedThreshold).toBeGreaterThan(before.calibratedThreshold)
    const overridden = await m.setDetection({
      id: idA,
      detection: { ...stricter.detection, thresholdOverride: 123 },
    })
    expect(overridden.threshold).toBe(123)
    expect(overridden.calibratedThreshold).toBe(stricter.calibratedThreshold)

    const range = { candidateId: idA, from: now - HOUR, to: now }
    const first = await m.compareModels(range)
    const explained = await m.explainWindow({ t: now - 30 * 60_000 })
    expect(explained.attention).toHaveLength(8)
    for (const row of explained.attention) {
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4)
    }
    expect(explained.contributions.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4)
    await m.close()

    m = await open(tmp.dir, clock)
    cleanups.push(() => m.close())
    const again = await m.compareModels(range)
    expect(again.candidate).toEqual(first.candidate)
    expect((await m.listModels()).find((x) => x.active)?.id).toBe(idA)
    const explainedAgain = await m.explainWindow({ t: now - 30 * 60_000 })
    expect(explainedAgain.score).toBe(explained.score)
  }, 180_000)

  it('explains too little data, cancels a run, and trains one run at a time', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const now = clock.now()
    const m = await open(tmp.dir, clock)
    cleanups.push(() => m.close())
    const sensors = (await m.listSensors()).map((s) => s.id)

    const tooShort = await rejection(
      m.startTraining(params(now, sensors, { from: now - 20_000, to: now })),
    )
    expect(tooShort.code).toBe('INVALID_PARAMS')
    expect(tooShort.message).toMatch(/Too little data.*at least 32/)

    const unknown = await rejection(m.startTraining(params(now, ['nope'])))
    expect(unknown.issues?.[0]).toMatch(/^spec\.sensorIds/)

    const events: TrainingProgress[] = []
    m.on('training', (e) => events.push(e))
    const long = params(now, sensors, {
      options: { ...params(now, sensors).options, epochs: 500, stride: 1 },
    })
    const started = await m.startTraining(long)
    expect((await rejection(m.startTraining(long))).code).toBe('NOT_AVAILABLE')
    await until('first batches', () => events.some((e) => e.state === 'training' && e.batch > 0))
    await m.cancelTraining({ jobId: started.jobId })
    const end = await until('cancel', () => events.find((e) => e.state === 'cancelled'))
    expect(end.modelId).toBeNull()
    expect(await m.listModels()).toEqual([])
    expect((await m.getTraining())?.state).toBe('cancelled')
  }, 120_000)
})
