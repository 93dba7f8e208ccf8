import { afterEach, describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../src/contract'
import { Monitor } from '../../src/monitor/monitor'
import { FakeClock } from '../helpers/fake-clock'
import { makeTempDir } from '../helpers/temp-dir'
import { as } from '../helpers/callers'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function openMonitor(dir: string, clock: FakeClock) {
  const m = await Monitor.create({
    dataDir: dir,
    host: 'test',
    demo: { seed: 1 },
    clock,
    backend: 'skip',
  })
  cleanups.push(() => m.close())
  return m
}

describe('demo plant → historian → querySeries', () => {
  it('stores every demo sample in batches and answers range queries with them', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const start = clock.now()
    const m = await openMonitor(tmp.dir, clock)
    const batches: SampleBatch[] = []
    m.on('samples', (b) => batches.push(b))
    clock.advance(60_000)

    // 1 Hz for 60 s: 60 readings of 8 channels, in batches of one reading (each 250 ms apart).
    const delivered = batches.reduce((n, b) => n + b.t.length, 0)
    expect(delivered).toBeGreaterThanOrEqual(59 * 8)
    expect(batches.length).toBeLessThan(delivered)

    const sensors = await m.methods.listSensors({}, as('engineer'))
    expect(sensors).toHaveLength(8)
    const r = await m.methods.querySeries(
      {
        sensorIds: sensors.map((s) => s.id),
        from: start,
        to: clock.now() + 1,
        maxPoints: 1000,
      },
      as('engineer'),
    )
    expect(r.series).toHaveLength(8)
    for (const s of r.series) {
      expect(s.resolution).toBe('raw')
      expect(s.t).toHaveLength(60)
      expect(s.v.every((v) => typeof v === 'number')).toBe(true)
    }
    // What subscribers saw is exactly what was stored.
    const flow = r.series.find((s) => s.sensorId === 'pump.flow')
    const seenFlow = batches.flatMap((b) =>
      b.values.filter((_, i) => b.sensorIds[i] === 'pump.flow'),
    )
    expect(flow?.v).toEqual(seenFlow)
  })

  it('keeps the history across a restart on the same data folder and shows the downtime as a gap', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const start = clock.now()
    const first = await openMonitor(tmp.dir, clock)
    clock.advance(30_000)
    await first.close()
    clock.advance(120_000) // the host is down for two minutes
    const second = await openMonitor(tmp.dir, clock)
    clock.advance(30_000)
    const r = await second.methods.querySeries(
      {
        sensorIds: ['pump.motor_temp'],
        from: start,
        to: clock.now() + 1,
        maxPoints: 1000,
      },
      as('engineer'),
    )
    const v = r.series[0]?.v ?? []
    expect(v.filter((x) => x !== null)).toHaveLength(60)
    expect(v.filter((x) => x === null)).toHaveLength(1)
    expect(v.indexOf(null)).toBe(30)
  })

  it('changing the storage settings applies them at once through a maintenance run', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const m = await openMonitor(tmp.dir, clock)
    clock.advance(5300) // five readings, the last flushed 250 ms after it was taken
    expect((await m.methods.getStorage({}, as('engineer'))).lastMaintenance).toBeNull()
    const settings = {
      rawRetentionDays: 2,
      minuteRetentionDays: 10,
      hourRetentionDays: 400,
      maxSizeMb: 100,
    }
    expect((await m.methods.setStorageSettings(settings, as('engineer'))).settings).toEqual(
      settings,
    )
    await m.runMaintenance()
    const info = await m.methods.getStorage({}, as('engineer'))
    expect(info.lastMaintenance).not.toBeNull()
    expect(info.levels.find((l) => l.level === 'raw')?.rows).toBe(5 * 8)
  })

  it('a scripted fault shows in the stored history', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const m = await openMonitor(tmp.dir, clock)
    clock.advance(60_000)
    const t1 = clock.now()
    expect(await m.methods.setDemoFault({ fault: 'valve-closing' }, as('engineer'))).toEqual({
      fault: 'valve-closing',
      since: t1,
    })
    expect((await m.methods.getStatus({}, as('engineer'))).demo).toEqual({
      fault: 'valve-closing',
      since: t1,
    })
    clock.advance(120_000)
    const q = async (from: number, to: number) =>
      (
        await m.methods.querySeries(
          { sensorIds: ['pump.flow'], from, to, maxPoints: 1000 },
          as('engineer'),
        )
      ).series[0]?.v as number[]
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(mean(await q(clock.now() - 30_000, clock.now() + 1))).toBeLessThan(
      0.7 * mean(await q(t1 - 30_000, t1)),
    )
  })
})
