import { afterEach, describe, expect, it } from 'vitest'
import {
  startTrainingParamsSchema,
  type ScoreBatch,
  type TrainingProgress,
} from '../../../src/contract'
import { demoWithActiveModel } from '../../helpers/demo-model'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'
import { as } from '../../helpers/callers'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const HOUR = 3_600_000

describe('demo fault → trained model → live score above threshold', () => {
  it('trains on simulated history, scores live data and names the flow sensor for a closing valve', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const { m, clock, sensors, started, done, progress } = await demoWithActiveModel(tmp.dir)
    cleanups.push(() => m.close())
    expect(started.state).toBe('preparing')
    expect(done.error).toBeNull()
    expect(done.state).toBe('done')
    expect(progress.some((p) => p.state === 'training' && p.batches > 0)).toBe(true)
    const [model] = await m.methods.listModels({}, as('engineer'))
    expect(model?.active).toBe(true)
    expect(model?.id).toBe(done.modelId)

    const scores: ScoreBatch[] = []
    m.on('scores', (b) => scores.push(b))
    // Normal running first: the score stays below the threshold.
    for (let i = 0; i < 120; i++) clock.advance(1000)
    await until('normal scores', () => scores.reduce((n, b) => n + b.t.length, 0) >= 60)
    const normal = scores.splice(0)
    const normalSmoothed = normal.flatMap((b) => b.smoothed)
    const normalFlagged = normal.flatMap((b) => b.anomalous).filter(Boolean).length
    // Normal running right after the training range is quiet.
    expect(normalFlagged / normalSmoothed.length).toBeLessThan(0.05)

    await m.methods.setDemoFault({ fault: 'valve-closing' }, as('engineer'))
    for (let i = 0; i < 180; i++) clock.advance(1000)
    await until('fault scores', () => scores.reduce((n, b) => n + b.t.length, 0) >= 150)
    const last = scores.at(-1) as ScoreBatch
    const i = last.t.length - 1
    expect(last.smoothed[i]).toBeGreaterThan(last.threshold)
    expect(last.anomalous[i]).toBe(true)
    expect(last.smoothed[i]).toBeGreaterThan(2 * Math.max(...normalSmoothed))
    const contributions = last.contributions[i] as number[]
    const ranked = last.sensorIds
      .map((id, c) => ({ id, share: contributions[c] as number }))
      .sort((a, b) => b.share - a.share)
    expect(ranked[0]?.id).toBe('pump.flow')

    // Retraining over the fault leaves out what the active model flagged.
    const retrain = async (excludeFlagged: boolean) => {
      const events: TrainingProgress[] = []
      const off = m.on('training', (p) => events.push(p))
      const run = await m.methods.startTraining(
        startTrainingParamsSchema.parse({
          name: `retrain ${excludeFlagged}`,
          spec: { sensorIds: sensors, windowSize: 16, dModel: 16, heads: 2 },
          from: clock.now() - HOUR,
          to: clock.now(),
          options: { epochs: 1, stride: 1 },
          excludeFlagged,
        }),
        as('engineer'),
      )
      const end = await until('retraining', () =>
        events.find((p) => p.jobId === run.jobId && p.state === 'done'),
      )
      off()
      return end.windows
    }
    const kept = await retrain(false)
    const cleaned = await retrain(true)
    // About the fault's flagged stretch (plus a window either side) is left out.
    expect(kept - cleaned).toBeGreaterThan(100)
  }, 240_000)
})
