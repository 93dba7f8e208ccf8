import { SerialPort } from 'serialport'
import { afterAll, describe, expect, it } from 'vitest'
import type { Sample } from '../../../src/ingest/sample'
import { lineFormatSchema } from '../../../src/contract'
import { SerialLineSource } from '../../../src/ingest/serial/serial-line-source'
import { systemClock } from '../../../src/platform/clock'
import { testSensor } from '../../helpers/historian-fixtures'
import { startSocatPair, type SocatPair } from '../../helpers/socat-pair'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'

const tmp = makeTempDir('vigil-serial-')
let pair: SocatPair | undefined
let source: SerialLineSource | undefined
afterAll(async () => {
  source?.stop()
  await pair?.kill()
  tmp.remove()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The device end of the cable: writes lines through the real serialport binding. */
async function openDevice(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false })
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
  port.on('error', () => {})
  return port
}

describe('a serial line source on a real pseudo-terminal pair', () => {
  it('decodes lines, counts bad ones, and reconnects after the cable is pulled', async () => {
    pair = await startSocatPair(tmp.dir)
    const got: Sample[] = []
    source = new SerialLineSource({
      id: 'dev1',
      name: 'Test device',
      settings: { path: pair.a, baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 },
      format: lineFormatSchema.parse({ kind: 'kv', keys: { p: 'dev.p', q: 'dev.q' } }),
      sensors: [testSensor('dev.p'), testSensor('dev.q')],
      clock: systemClock,
      retryMs: { first: 100, max: 1000 },
      pollMs: 200,
    })
    source.start((s) => got.push(...s))
    await until('the port to open', () => source?.status().state === 'running')

    let device = await openDevice(pair.b)
    device.write('p=1.5 q=-2\np=abc q=3\n\u0000\u0001garbage\np=2.5 q=NaN\n')
    await until('the first samples', () => got.length >= 4)
    expect(got.map((s) => [s.sensorId, s.value])).toEqual([
      ['dev.p', 1.5],
      ['dev.q', -2],
      ['dev.q', 3],
      ['dev.p', 2.5],
    ])
    expect(source.errors.counts).toMatchObject({ 'non-numeric': 1, binary: 1, 'not-finite': 1 })

    // Pull the cable mid-stream.
    await pair.kill()
    device.destroy()
    await until('the loss to be noticed', () => source?.status().state === 'reconnecting')
    expect(source.status().lastError).toMatch(/disconnected|does not exist/)
    const before = got.length
    await sleep(500)
    expect(got.length).toBe(before) // nothing invented while the device is away

    // Plug it back in: data flows again by itself.
    await pair.restart()
    await until('the port to reopen', () => source?.status().state === 'running')
    device = await openDevice(pair.b)
    device.write('p=9 q=8\n')
    await until('data after the reconnect', () => got.length >= before + 2)
    expect(got.slice(before).map((s) => s.value)).toEqual([9, 8])
    expect(source.outages).toHaveLength(1)
    expect(source.outages[0]?.to).toBeGreaterThan(source.outages[0]?.from ?? Infinity)
    device.destroy()
  }, 30_000)

  it('reads every line format from a device, with the device time stamp where it sends one', async () => {
    const formats = [
      {
        format: {
          kind: 'csv',
          delimiter: ';',
          columns: [
            { index: 1, sensorId: 'f.a' },
            { index: 2, sensorId: 'f.b' },
          ],
          timestamp: { index: 0, format: 'epoch-ms' },
        },
        line: '1767225600000;1.25;-3\r\n',
        t: 1767225600000,
      },
      {
        format: {
          kind: 'json',
          fields: { a: 'f.a', b: 'f.b' },
          timestamp: { field: 'ts', format: 'iso' },
        },
        line: '{"ts":"2026-01-01T00:00:01Z","a":1.25,"b":"-3"}\n',
        t: Date.UTC(2026, 0, 1, 0, 0, 1),
      },
      {
        format: {
          kind: 'kv',
          pairSeparator: ',',
          keyValueSeparator: ':',
          keys: { a: 'f.a', b: 'f.b' },
        },
        line: 'a:1.25,b:-3\n',
        t: null,
      },
    ] as const
    for (const [i, f] of formats.entries()) {
      const dir = makeTempDir(`vigil-fmt-${i}-`)
      const fmtPair = await startSocatPair(dir.dir)
      const got: Sample[] = []
      const src = new SerialLineSource({
        id: `fmt${i}`,
        name: 'format test',
        settings: { path: fmtPair.a, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 },
        format: lineFormatSchema.parse(f.format),
        sensors: [testSensor('f.a'), testSensor('f.b')],
        clock: systemClock,
      })
      src.start((s) => got.push(...s))
      await until('open', () => src.status().state === 'running')
      const dev = await openDevice(fmtPair.b)
      const before = Date.now()
      dev.write(f.line)
      await until(`${f.format.kind} samples`, () => got.length >= 2)
      expect(got.map((s) => [s.sensorId, s.value])).toEqual([
        ['f.a', 1.25],
        ['f.b', -3],
      ])
      if (f.t === null) expect(got[0]?.t).toBeGreaterThanOrEqual(before)
      else expect(got[0]?.t).toBe(f.t)
      expect(src.errors.total).toBe(0)
      src.stop()
      dev.destroy()
      await fmtPair.kill()
      dir.remove()
    }
  }, 30_000)
})
