import { appendFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { channelSchema, lineFormatSchema, type Channel } from '../../../src/contract'
import { createFileSource } from '../../../src/ingest/file/create-file-source'
import { FileReplaySource } from '../../../src/ingest/file/file-replay-source'
import { FileTailSource } from '../../../src/ingest/file/file-tail-source'
import { importFile } from '../../../src/ingest/file/import-file'
import type { Sample } from '../../../src/ingest/sample'
import { Historian } from '../../../src/historian/historian'
import { systemClock } from '../../../src/platform/clock'
import { FakeClock } from '../../helpers/fake-clock'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'

const tmp = makeTempDir('vigil-file-')
const stops: (() => void)[] = []
afterAll(() => {
  for (const stop of stops) stop()
  tmp.remove()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const channel = (id: string, extra: Partial<Channel> = {}) =>
  channelSchema.parse({ id, name: id, ...extra })
const SKAB_HEADER =
  'datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS;anomaly;changepoint'
/** SKAB writes local wall-clock time without a zone; read here exactly as the import reads it. */
const stamp = (s: number) => new Date(Date.UTC(2020, 2, 9, 10, 0, s)).toISOString().slice(0, 19)
const skabRow = (s: number, pressure: number | string) =>
  `${stamp(s).replace('T', ' ')};0.0265;0.0401;1.33;${pressure};79.3;26.0;233.0;32.0;0.0;0.0`
const skabFormat = lineFormatSchema.parse({
  kind: 'csv',
  delimiter: ';',
  timestamp: { index: 0, format: 'iso' },
  columns: [
    { index: 1, sensorId: 'skab.acc1' },
    { index: 4, sensorId: 'skab.pressure' },
  ],
})

describe('importing a history file', () => {
  it('stores a SKAB-format file and counts its bad lines exactly', async () => {
    const rows = Array.from({ length: 300 }, (_, s) => skabRow(s, (s % 10) / 10))
    rows[10] = skabRow(10, 'abc') // non-numeric pressure: acc1 of that line is still kept
    rows[20] = '2020-03-09 10:00:20;0.1' // too few columns
    rows[30] = `yesterday;${skabRow(30, 0).split(';').slice(1).join(';')}` // bad time stamp
    rows[40] = skabRow(40, 9) // pressure above its expected range
    const path = join(tmp.dir, 'skab.csv')
    writeFileSync(path, [SKAB_HEADER, ...rows].join('\n') + '\n')
    const t0 = Date.parse(stamp(0))
    const historian = new Historian(join(tmp.dir, 'db'), { now: () => t0 + 3_600_000 })
    stops.push(() => historian.close())

    const result = await importFile(
      {
        path,
        sourceId: 'skab',
        format: skabFormat,
        channels: [channel('skab.acc1'), channel('skab.pressure', { scale: 10, expectedMax: 10 })],
        skipLines: 1,
      },
      historian,
      { folders: [tmp.dir] },
    )
    expect(result.lines).toBe(300)
    expect(result.errorCounts).toEqual({
      'non-numeric': 1,
      malformed: 1,
      'bad-timestamp': 1,
      'out-of-range': 1,
    })
    // 298 good lines with both values, one (non-numeric / out-of-range) with acc1 only, twice.
    expect(result.stored).toBe(296 * 2 + 2)
    expect(historian.sensor('skab.pressure')).toMatchObject({ sourceId: 'skab', periodMs: 1000 })

    const { series } = historian.querySeries({
      sensorIds: ['skab.pressure', 'skab.acc1'],
      from: t0,
      to: t0 + 300_000,
      maxPoints: 1000,
    })
    const [pressure, acc1] = series
    expect(pressure?.resolution).toBe('raw')
    expect(pressure?.t.slice(0, 3)).toEqual([t0, t0 + 1000, t0 + 2000])
    expect(pressure?.v.slice(0, 3)).toEqual([0, 1, 2]) // scaled by 10
    expect(pressure?.t.filter((t) => t !== null)).toHaveLength(296)
    expect(acc1?.v.filter((v) => v !== null)).toHaveLength(298)
  })

  it('refuses a format without time stamps, and a missing file, in plain words', async () => {
    const params = {
      path: join(tmp.dir, 'none.csv'),
      sourceId: 'x',
      format: lineFormatSchema.parse({ kind: 'csv', columns: [{ index: 0, sensorId: 'x.a' }] }),
      channels: [channel('x.a')],
      skipLines: 0,
    }
    const target = { registerSensors: () => {}, bulkInsert: () => 0 }
    await expect(importFile(params, target, { folders: [tmp.dir] })).rejects.toThrow(/time stamp/)
    await expect(
      importFile({ ...params, format: skabFormat }, target, { folders: [tmp.dir] }),
    ).rejects.toThrow(/File not found/)
  })
})

describe('replaying a file as a live stream', () => {
  it('keeps the gaps between device time stamps, divided by the speed', async () => {
    const path = join(tmp.dir, 'replay.csv')
    const seconds = [0, 1, 3, 7]
    writeFileSync(path, [SKAB_HEADER, ...seconds.map((s) => skabRow(s, s))].join('\n') + '\n')
    const clock = new FakeClock()
    const source = createFileSource(
      {
        id: 'replay',
        name: 'Replay',
        enabled: true,
        kind: 'file',
        mode: 'replay',
        path,
        speed: 10,
        loop: false,
        format: skabFormat,
        channels: [channel('skab.acc1'), channel('skab.pressure')],
      },
      { clock, folders: () => [tmp.dir] },
    )
    expect(source).toBeInstanceOf(FileReplaySource)
    const got: Sample[] = []
    source.start((s) => got.push(...s))
    stops.push(() => source.stop())
    const start = clock.now()
    await until('the first row', () => (clock.advance(0), got.length > 0))
    // Every sample carries the host time it was played at, not the file's.
    expect(got).toEqual([
      { sensorId: 'skab.acc1', t: start, value: 0.0265 },
      { sensorId: 'skab.pressure', t: start, value: 0 },
    ])
    clock.advance(99)
    expect(got).toHaveLength(2)
    clock.advance(1)
    expect(got).toHaveLength(4)
    clock.advance(600)
    const pressure = got.filter((s) => s.sensorId === 'skab.pressure')
    expect(pressure.map((s) => s.t - start)).toEqual([0, 100, 300, 700])
    await until('the end of the file', () => source.status().state === 'stopped')
  })

  it('plays rows without time stamps one per second times the speed, and loops', async () => {
    const path = join(tmp.dir, 'plain.txt')
    writeFileSync(path, 'p=1\np=2\n')
    const clock = new FakeClock()
    const source = new FileReplaySource({
      id: 'plain',
      name: 'Plain',
      path,
      format: lineFormatSchema.parse({ kind: 'kv', keys: { p: 'plain.p' } }),
      channels: [channel('plain.p', { offset: 100 })],
      sensors: [],
      speed: 2,
      loop: true,
      clock,
      folders: () => [tmp.dir],
    })
    const got: Sample[] = []
    source.start((s) => got.push(...s))
    stops.push(() => source.stop())
    await until('the first row', () => (clock.advance(0), got.length > 0))
    const start = got[0]?.t ?? 0
    // Time moves in small steps with real pauses between: each pass reads the file again.
    await until('three passes', () => (clock.advance(100), got.length >= 7))
    expect(got.slice(0, 7).map((s) => s.value)).toEqual([101, 102, 101, 102, 101, 102, 101])
    expect(got.slice(0, 7).map((s) => s.t - start)).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000])
  })
})

describe('following a file another program writes', () => {
  it('picks up appended lines, starts over after truncation, and waits for a missing file', async () => {
    const path = join(tmp.dir, 'tail.log')
    writeFileSync(path, 'p=1\np=2\n')
    const source = new FileTailSource({
      id: 'tail',
      name: 'Tail',
      path,
      format: lineFormatSchema.parse({ kind: 'kv', keys: { p: 'tail.p' } }),
      channels: [channel('tail.p')],
      sensors: [],
      clock: systemClock,
      folders: () => [tmp.dir],
      pollMs: 20,
    })
    const got: number[] = []
    source.start((s) => got.push(...s.map((x) => x.value)))
    stops.push(() => source.stop())
    await until('the file to be followed', () => source.status().state === 'running')
    appendFileSync(path, 'p=3\np=')
    await until('the appended line', () => got.length === 1)
    appendFileSync(path, '4\np=bad\n')
    await until('the completed line', () => got.length === 2)
    expect(got).toEqual([3, 4])
    expect(source.errorCounts()).toEqual({ 'non-numeric': 1 })

    truncateSync(path, 0)
    await sleep(100)
    appendFileSync(path, 'p=5\n')
    await until('a line after truncation', () => got.length === 3)
    expect(got[2]).toBe(5)

    rmSync(path)
    await until('the file to be missed', () => source.status().state === 'reconnecting')
    expect(source.status().lastError).toMatch(/File not found/)
    writeFileSync(path, 'p=6\n')
    await until('the file to come back', () => got.length === 4)
    expect(got[3]).toBe(6)
    expect(source.status().state).toBe('running')
  })
})
