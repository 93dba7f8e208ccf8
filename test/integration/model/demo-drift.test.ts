import { afterEach, describe, expect, it } from 'vitest'
import type { ScoreBatch } from '../../../src/contract'
import { demoWithActiveModel } from '../../helpers/demo-model'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'
import { as } from '../../helpers/callers'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const MINUTE = 60_000

interface Row {
  t: number
  raw: number
  adapted: number
  smoothed: number
  anomalous: boolean
}

/**
 * The adapted score on the demo plant, with the product's default detection (adaptive, a
 * 10-minute baseline, at most 4× absorbed): hours of normal running stay quiet, a closing valve
 * held three times longer than the baseline's window stays flagged, a wearing bearing (slow) is
 * caught and stays caught.
 */
describe('demo plant: the adapted score follows drift, not faults', () => {
  it('is quiet over hours, keeps a long valve fault and catches bearing wear', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const { m, clock, done } = await demoWithActiveModel(tmp.dir)
    cleanups.push(() => m.close())
    expect(done.state).toBe('done')
    const [model] = await m.methods.listModels({}, as('engineer'))
    expect(model?.detection).toMatchObject({ adaptive: true, baselineMinutes: 10 })
    expect(model?.metrics.valSensorP50).toHaveLength(model!.spec.sensorIds.length)

    const rows: Row[] = []
    let threshold = NaN
    m.on('scores', (b: ScoreBatch) => {
      threshold = b.threshold
      b.t.forEach((t, i) =>
        rows.push({
          t,
          raw: b.score[i]!,
          adapted: b.adapted[i]!,
          smoothed: b.smoothed[i]!,
          anomalous: b.anomalous[i]!,
        }),
      )
    })
    /** Runs the plant for `ms` and waits until every row of it is scored. */
    const run = async (ms: number) => {
      const end = clock.now() + ms
      for (let t = 0; t < ms; t += 1000) clock.advance(1000)
      // The last row is complete once a later sample arrives: allow a couple of rows.
      await until('scores to catch up', () => (rows.at(-1)?.t ?? 0) >= end - 3000, 600_000)
      return rows.filter((r) => r.t > end - ms)
    }

    // Three hours of normal running: under 1 % flagged.
    const normal = await run(180 * MINUTE)
    expect(normal.length).toBeGreaterThan(170 * 60)
    const flagged = normal.filter((r) => r.anomalous).length
    expect(flagged / normal.length).toBeLessThan(0.01)
    for (const r of normal) expect(r.adapted).toBeLessThanOrEqual(r.raw * (1 + 1e-6))

    // The valve closes (abrupt) and stays closed for 30 minutes, three baseline windows.
    await m.methods.setDemoFault({ fault: 'valve-closing' }, as('engineer'))
    const valve = await run(30 * MINUTE)
    const afterClosing = valve.filter((r) => r.t > valve[0]!.t + 2 * MINUTE)
    expect(afterClosing.every((r) => r.anomalous)).toBe(true)
    expect(afterClosing.every((r) => r.smoothed > threshold)).toBe(true)
    // The baseline has absorbed what it may (4×) and no more: the raw score shows the rest.
    const last = valve.at(-1)!
    expect(last.raw).toBeGreaterThan(4 * threshold)
    expect(last.adapted).toBeGreaterThanOrEqual(last.raw / 4 - 1e-6)

    // Back to normal; twenty minutes later the bearing starts to wear (over about 5 minutes).
    await m.methods.setDemoFault({ fault: 'none' }, as('engineer'))
    await run(20 * MINUTE)
    await m.methods.setDemoFault({ fault: 'bearing-wear' }, as('engineer'))
    const wear = await run(20 * MINUTE)
    const firstFlag = wear.findIndex((r) => r.anomalous)
    expect(firstFlag).toBeGreaterThanOrEqual(0)
    expect(wear[firstFlag]!.t - wear[0]!.t).toBeLessThan(5 * MINUTE)
    // Once worn it stays flagged: the slow rise was not followed.
    expect(wear.slice(firstFlag + 60).every((r) => r.anomalous)).toBe(true)
  }, 1_200_000)
})
