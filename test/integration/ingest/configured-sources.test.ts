import { SerialPort } from 'serialport'
import { afterAll, describe, expect, it } from 'vitest'
import type { SourceConfigInput } from '../../../src/contract'
import { Monitor } from '../../../src/monitor/monitor'
import { startSocatPair, type SocatPair } from '../../helpers/socat-pair'
import { makeTempDir } from '../../helpers/temp-dir'
import { as, signedIn } from '../../helpers/callers'

const tmp = makeTempDir('vigil-sources-')
let pair: SocatPair | undefined
let monitor: Monitor | undefined
let device: SerialPort | undefined
let writer: ReturnType<typeof setInterval> | undefined
afterAll(async () => {
  if (writer) clearInterval(writer)
  device?.destroy()
  await monitor?.close()
  await pair?.kill()
  tmp.remove()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function serialSource(path: string, channelId = 'line.p'): SourceConfigInput {
  return {
    kind: 'serial-lines',
    id: 'line1',
    name: 'Line device',
    serial: { path, baudRate: 115_200 },
    format: { kind: 'kv', keys: { p: channelId, q: 'line.q' } },
    channels: [
      { id: channelId, name: 'Pressure', unit: 'bar', scale: 0.1, expectedMin: 0, expectedMax: 10 },
      { id: 'line.q', name: 'Flow', unit: 'm³/h' },
    ],
  }
}

describe('configured sources through the contract', () => {
  it('saves a serial source, stores its scaled values, keeps it across a restart, and deletes it', async () => {
    pair = await startSocatPair(tmp.dir)
    monitor = await Monitor.create({ dataDir: tmp.dir, host: 'test', demo: true, backend: 'skip' })
    const call = (await signedIn(monitor, 'engineer')).dispatch
    device = new SerialPort({ path: pair.b, baudRate: 115_200, autoOpen: false })
    await new Promise<void>((r, j) => device?.open((e) => (e ? j(e) : r())))
    device.on('error', () => {})
    let n = 0
    writer = setInterval(() => device?.write(`p=${42 + (n++ % 3)} q=7\np=999 q=1\n`), 100)

    // A channel id the demo plant owns is refused, field by field.
    const clash = await call('saveSource', serialSource(pair.a, 'pump.flow'))
    expect(clash).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_PARAMS',
        issues: [expect.stringMatching(/^channels\.0\.id: .*demo plant/)],
      },
    })

    const tested = await call('testSource', serialSource(pair.a))
    expect(tested).toMatchObject({ ok: true, result: { ok: true } })

    expect((await call('saveSource', serialSource(pair.a))).ok).toBe(true)
    await sleep(1500)
    const from = Date.now() - 5000
    const q = async (m: Monitor) =>
      (
        await m.methods.querySeries(
          {
            sensorIds: ['line.p', 'line.q'],
            from,
            to: Date.now() + 1,
            maxPoints: 1000,
          },
          as('engineer'),
        )
      ).series
    const [p, flow] = await q(monitor)
    // raw 42..44 scaled by 0.1; 999 → 99.9 is out of the expected range and never stored.
    expect(p?.v.length).toBeGreaterThan(5)
    expect(p?.v.every((v) => v !== null && v >= 4.2 - 1e-9 && v <= 4.4 + 1e-9)).toBe(true)
    expect(flow?.v.length).toBeGreaterThan(5)
    const health = await call('getSourceHealth', { id: 'line1' })
    expect(health).toMatchObject({
      ok: true,
      result: { errorCounts: { 'out-of-range': expect.any(Number) } },
    })
    const status = await monitor.methods.getStatus({}, as('engineer'))
    expect(status.sources.find((s) => s.id === 'line1')?.state).toBe('running')

    // Restart: the source comes back by itself from the database.
    await monitor.close()
    monitor = await Monitor.create({ dataDir: tmp.dir, host: 'test', backend: 'skip' })
    expect((await monitor.methods.listSources({}, as('engineer'))).map((s) => s.id)).toEqual([
      'line1',
    ])
    await sleep(1500)
    const again = (await signedIn(monitor, 'engineer')).dispatch
    const after = await q(monitor)
    expect(after[0]?.v.filter((v) => v !== null).length).toBeGreaterThan(p?.v.length ?? 0)

    expect(await again('deleteSource', { id: 'line1' })).toEqual({
      ok: true,
      result: { id: 'line1' },
    })
    expect(await monitor.methods.listSources({}, as('engineer'))).toEqual([])
    expect((await q(monitor))[0]?.v.length).toBeGreaterThan(0) // the history stays
    expect(await again('deleteSource', { id: 'line1' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
  }, 30_000)
})
