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
import { as } from '../../helpers/callers'

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
    const started = await m.methods.startTraining(p, as('engineer'))
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
    const sensors = (await m.methods.listSensors({}, as('engineer'))).map((s) => s.id)
    const a = await train(m, params(now, sensors, { name: 'first' }))
    const b = await train(m, params(now, sensors.slice(0, 4), { name: 'second' }))
    expect([a.state, b.state]).toEqual(['done', 'done'])
    const idA = a.modelId as number
    const idB = b.modelId as number
    let models = await m.methods.listModels({}, as('engineer'))
    expect(models.map((x) => x.name)).toEqual(['second', 'first'])
    expect(models.every((x) => !x.active)).toBe(true)
    expect(models[0]?.spec.sensorIds).toEqual(sensors.slice(0, 4))
    expect(models[1]?.metrics.epochsRun).toBeGreaterThan(0)
    expect(models[1]?.threshold).toBeGreaterThan(0)

    await m.methods.activateModel({ id: idB }, as('engineer'))
    await m.methods.activateModel({ id: idA }, as('engineer')) // roll back to the older one
    models = await m.methods.listModels({}, as('engineer'))
    expect(models.filter((x) => x.active).map((x) => x.id)).toEqual([idA])
    expect((await rejection(m.methods.deleteModel({ id: idA }, as('engineer')))).code).toBe(
      'NOT_AVAILABLE',
    )
    await m.methods.deleteModel({ id: idB }, as('engineer'))
    expect((await m.methods.listModels({}, as('engineer'))).map((x) => x.id)).toEqual([idA])

    // A stricter false-alarm rate recalibrates a higher threshold from the stored validation scores.
    const before = (await m.methods.listModels({}, as('engineer')))[0]!
    const stricter = await m.methods.setDetection(
      {
        id: idA,
        detection: { ...before.detection, targetFalseAlarmRate: 0.0001 },
      },
      as('engineer'),
    )
    expect(stricter.calibratedThreshold).toBeGreaterThan(before.calibratedThreshold)
    const overridden = await m.methods.setDetection(
      {
        id: idA,
        detection: { ...stricter.detection, thresholdOverride: 123 },
      },
      as('engineer'),
    )
    expect(overridden.threshold).toBe(123)
    expect(overridden.calibratedThreshold).toBe(stricter.calibratedThreshold)

    const range = { candidateId: idA, from: now - HOUR, to: now }
    const first = await m.methods.compareModels(range, as('engineer'))
    const explained = await m.methods.explainWindow({ t: now - 30 * 60_000 }, as('engineer'))
    expect(explained.attention).toHaveLength(8)
    for (const row of explained.attention) {
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4)
    }
    expect(explained.contributions.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4)
    await m.close()

    m = await open(tmp.dir, clock)
    cleanups.push(() => m.close())
    const again = await m.methods.compareModels(range, as('engineer'))
    expect(again.candidate).toEqual(first.candidate)
    expect((await m.methods.listModels({}, as('engineer'))).find((x) => x.active)?.id).toBe(idA)
    const explainedAgain = await m.methods.explainWindow({ t: now - 30 * 60_000 }, as('engineer'))
    expect(explainedAgain.score).toBe(explained.score)
  }, 180_000)

  it('explains too little data, cancels a run, and trains one run at a time', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const now = clock.now()
    const m = await open(tmp.dir, clock)
    cleanups.push(() => m.close())
    const sensors = (await m.methods.listSensors({}, as('engineer'))).map((s) => s.id)

    const tooShort = await rejection(
      m.methods.startTraining(
        params(now, sensors, { from: now - 20_000, to: now }),
        as('engineer'),
      ),
    )
    expect(tooShort.code).toBe('INVALID_PARAMS')
    expect(tooShort.message).toMatch(/Too little data.*at least 32/)

    const unknown = await rejection(m.methods.startTraining(params(now, ['nope']), as('engineer')))
    expect(unknown.issues?.[0]).toMatch(/^spec\.sensorIds/)

    const events: TrainingProgress[] = []
    m.on('training', (e) => events.push(e))
    const long = params(now, sensors, {
      options: { ...params(now, sensors).options, epochs: 500, stride: 1 },
    })
    const started = await m.methods.startTraining(long, as('engineer'))
    expect((await rejection(m.methods.startTraining(long, as('engineer')))).code).toBe(
      'NOT_AVAILABLE',
    )
    await until('first batches', () => events.some((e) => e.state === 'training' && e.batch > 0))
    await m.methods.cancelTraining({ jobId: started.jobId }, as('engineer'))
    const end = await until('cancel', () => events.find((e) => e.state === 'cancelled'))
    expect(end.modelId).toBeNull()
    expect(await m.methods.listModels({}, as('engineer'))).toEqual([])
    expect((await m.methods.getTraining({}, as('engineer')))?.state).toBe('cancelled')
  }, 120_000)
})
