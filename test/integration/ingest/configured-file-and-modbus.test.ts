import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Monitor } from '../../../src/monitor/monitor'
import { makeTempDir } from '../../helpers/temp-dir'
import { as, signedIn } from '../../helpers/callers'

const tmp = makeTempDir('vigil-cfg-')
let monitor: Monitor | undefined
afterAll(async () => {
  await monitor?.close()
  tmp.remove()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const channels = [
  { id: 'f.level', name: 'Level', unit: 'm' },
  { id: 'f.temp', name: 'Temperature', unit: '°C', expectedMin: -20, expectedMax: 120 },
]

describe('file and Modbus sources through the contract', () => {
  it('previews and imports a history file, tails a growing one, and refuses an impossible Modbus address', async () => {
    monitor = await Monitor.create({
      dataDir: join(tmp.dir, 'data'),
      host: 'test',
      backend: 'skip',
    })
    const call = (await signedIn(monitor, 'engineer')).dispatch

    // Files come from the data folder's imports/ (or the documents, or a folder an engineer allowed).
    const imports = join(tmp.dir, 'data', 'imports')
    const history = join(imports, 'history.csv')
    // Recent enough that raw retention (30 days) keeps every sample.
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 7_200_000
    writeFileSync(
      history,
      'time;level;temp\n' +
        Array.from(
          { length: 600 },
          (_, i) => `${t0 + i * 1000};${(i % 50) / 10};${20 + (i % 7)}`,
        ).join('\n') +
        '\n999;x;1\n',
    )
    const preview = await call('previewFile', { path: history })
    expect(preview).toMatchObject({
      ok: true,
      result: { guess: { kind: 'csv', delimiter: ';', header: ['time', 'level', 'temp'] } },
    })
    const format = {
      kind: 'csv',
      delimiter: ';',
      columns: [
        { index: 1, sensorId: 'f.level' },
        { index: 2, sensorId: 'f.temp' },
      ],
      timestamp: { index: 0, format: 'epoch-ms' },
    }
    const imported = await call('importFile', {
      path: history,
      sourceId: 'hist',
      format,
      channels,
      skipLines: 1,
    })
    // The last line's level is not a number (counted); its temperature is still good (stored).
    expect(imported).toMatchObject({
      ok: true,
      result: { stored: 1201, errorCounts: { 'non-numeric': 1 } },
    })
    const series = await monitor.methods.querySeries(
      {
        sensorIds: ['f.temp'],
        from: t0,
        to: t0 + 600_000,
        maxPoints: 1000,
      },
      as('engineer'),
    )
    expect(series.series[0]?.v.length).toBe(600)

    const live = join(imports, 'live.csv')
    writeFileSync(live, '')
    const tailFormat = { kind: 'csv', columns: format.columns }
    const saved = await call('saveSource', {
      kind: 'file',
      id: 'tail1',
      name: 'Logger file',
      path: live,
      mode: 'tail',
      format: tailFormat,
      channels,
    })
    expect(saved.ok).toBe(true)
    await sleep(400)
    const from = Date.now()
    appendFileSync(live, 'x,1.5,30\nx,1.6,500\n')
    await sleep(1200)
    const got = await monitor.methods.querySeries(
      {
        sensorIds: ['f.level', 'f.temp'],
        from,
        to: Date.now() + 1,
        maxPoints: 100,
      },
      as('engineer'),
    )
    expect(got.series[0]?.v).toEqual([1.5, 1.6])
    expect(got.series[1]?.v).toEqual([30]) // 500 °C is outside the expected range: never stored
    const health = await call('getSourceHealth', { id: 'tail1' })
    expect(health).toMatchObject({ ok: true, result: { errorCounts: { 'out-of-range': 1 } } })

    const modbus = await call('saveSource', {
      kind: 'modbus-rtu',
      id: 'mb1',
      name: 'Pump panel',
      serial: { path: '/dev/ttyUSB9' },
      registers: [
        {
          id: 'mb.p',
          name: 'Pressure',
          slaveId: 1,
          function: 'holding',
          address: 0,
          addressBase: 1,
        },
      ],
    })
    expect(modbus).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })

    // Files elsewhere, and devices, are refused with a plain message and nothing of their content.
    const outside = join(tmp.dir, 'outside.csv')
    writeFileSync(outside, 'secret;1\n')
    const refused = await call('previewFile', { path: outside })
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(JSON.stringify(refused)).not.toContain('secret;1')
    const device = await call('saveSource', {
      kind: 'file',
      id: 'tail1', // the same sensors: only the path is wrong
      name: 'Noise',
      path: '/dev/urandom',
      mode: 'replay',
      format: tailFormat,
      channels,
    })
    expect(device).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const importOutside = await call('importFile', {
      path: outside,
      sourceId: 'hist',
      format,
      channels,
    })
    expect(importOutside).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // An engineer allows another folder; its files can then be read.
    expect(
      (
        await call('setSecuritySettings', {
          idleMinutes: 15,
          sessionHours: 12,
          extraFileFolders: [tmp.dir],
        })
      ).ok,
    ).toBe(true)
    expect((await call('previewFile', { path: outside })).ok).toBe(true)
    expect((await monitor.methods.listSources({}, as('engineer'))).map((s) => s.id)).toEqual([
      'tail1',
    ])
  }, 30_000)
})
