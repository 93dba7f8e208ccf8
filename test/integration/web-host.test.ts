import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { SampleBatch, ServerMessage } from '../../src/contract'
import { startServer, type RunningServer } from '../../src/host/server'
import { silentLogger } from '../../src/log/logger'
import { Monitor } from '../../src/monitor/monitor'
import { makeTempDir } from '../helpers/temp-dir'

let tmp: ReturnType<typeof makeTempDir>
let monitor: Monitor
let server: RunningServer

beforeAll(async () => {
  tmp = makeTempDir()
  const staticDir = join(tmp.dir, 'ui')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Vigil UI</title>')
  writeFileSync(join(tmp.dir, 'secret.txt'), 'not for the web')
  monitor = await Monitor.create({
    dataDir: join(tmp.dir, 'data'),
    host: 'server',
    demo: { rateHz: 20 },
    backend: 'skip',
  })
  server = await startServer({
    monitor,
    host: '127.0.0.1',
    port: 0,
    staticDir,
    logger: silentLogger,
  })
})

afterAll(async () => {
  await server.close()
  await monitor.close()
  tmp.remove()
})

const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/call/${method}`, { method: 'POST', body: JSON.stringify(body), headers })

function openSocket(headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(server.url.replace('http', 'ws') + '/api/ws', { headers })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

describe('vigil serve: HTTP', () => {
  it('GET /api/health answers ok with version, backend and sensors', async () => {
    const res = await fetch(`${server.url}/api/health`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      ok: true,
      version: expect.any(String),
      backend: 'unavailable',
      sensors: 8,
    })
  })

  it('serves the built UI and never a file outside it', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Vigil UI')
    expect(await (await fetch(`${server.url}/live/deep/link`)).text()).toContain('Vigil UI')
    const escape = await fetch(`${server.url}/..%2Fsecret.txt`)
    expect(await escape.text()).not.toContain('not for the web')
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404)
  })

  it('answers contract calls with envelopes and HTTP status codes that match', async () => {
    const ok = await call('listSensors', {})
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { result: unknown[] }).result).toHaveLength(8)
    const bad = await call('querySeries', { sensorIds: 'pump.flow' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect((await call('nope', {})).status).toBe(404)
    const notJson = await fetch(`${server.url}/api/call/listSensors`, {
      method: 'POST',
      body: '{oops',
    })
    expect(notJson.status).toBe(400)
  })

  it('refuses requests addressed to another host name (DNS rebinding) and cross-origin calls', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve) => {
      const req = request(
        `${server.url}/api/health`,
        { headers: { host: 'attacker.example' } },
        (res) => resolve(res.statusCode ?? 0),
      )
      req.end()
    })
    expect(status).toBe(403)
    const cross = await call('listSensors', {}, { origin: 'https://attacker.example' })
    expect(cross.status).toBe(403)
  })
})

describe('vigil serve: storage', () => {
  it('reports the database, takes valid retention settings, refuses bad ones field by field', async () => {
    const info = (await (await call('getStorage', {})).json()) as {
      result: { file: string; settings: unknown }
    }
    expect(info.result.file).toMatch(/vigil\.db$/)
    expect(info.result.settings).toEqual({
      rawRetentionDays: 30,
      minuteRetentionDays: 365,
      hourRetentionDays: null,
      maxSizeMb: null,
    })

    const bad = await call('setStorageSettings', {
      rawRetentionDays: 90,
      minuteRetentionDays: 30,
      hourRetentionDays: null,
      maxSizeMb: 5,
    })
    expect(bad.status).toBe(400)
    const issues = ((await bad.json()) as { error: { issues: string[] } }).error.issues
    expect(issues.some((i) => i.startsWith('maxSizeMb'))).toBe(true)

    const wrongOrder = await call('setStorageSettings', {
      rawRetentionDays: 90,
      minuteRetentionDays: 30,
      hourRetentionDays: null,
      maxSizeMb: null,
    })
    expect(((await wrongOrder.json()) as { error: { issues: string[] } }).error.issues).toEqual([
      'minuteRetentionDays: 1-minute history must be kept at least as long as raw samples',
    ])

    const good = {
      rawRetentionDays: 7,
      minuteRetentionDays: 90,
      hourRetentionDays: 3650,
      maxSizeMb: 512,
    }
    const saved = (await (await call('setStorageSettings', good)).json()) as {
      result: { settings: unknown }
    }
    expect(saved.result.settings).toEqual(good)
    const reread = (await (await call('getStorage', {})).json()) as {
      result: { settings: unknown }
    }
    expect(reread.result.settings).toEqual(good)
  })

  it('backs up on request into the data folder, integrity-checked', async () => {
    const res = (await (await call('backupNow', {})).json()) as {
      ok: boolean
      result: { file: string; integrity: string }
    }
    expect(res.ok).toBe(true)
    expect(res.result.file).toContain(join(tmp.dir, 'data', 'backups'))
    expect(res.result.integrity).toBe('ok')
  })
})

describe('vigil serve: WebSocket', () => {
  it('answers calls by id and pushes batched samples to the client', async () => {
    const ws = await openSocket()
    const messages: ServerMessage[] = []
    ws.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as ServerMessage))
    ws.send(
      JSON.stringify({
        type: 'call',
        id: 7,
        method: 'setDemoFault',
        params: { fault: 'bearing-wear' },
      }),
    )
    ws.send(
      JSON.stringify({ type: 'call', id: 8, method: 'setDemoFault', params: { fault: 'melt' } }),
    )
    ws.send('not json at all')
    await new Promise((r) => setTimeout(r, 1100))
    ws.close()
    const replies = messages.filter((m) => m.type === 'result')
    expect(replies.find((r) => r.id === 7)).toMatchObject({
      ok: true,
      result: { fault: 'bearing-wear' },
    })
    expect(replies.find((r) => r.id === 8)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    })
    const batches = messages.flatMap((m) =>
      m.type === 'event' && m.event === 'samples' ? [m.data as SampleBatch] : [],
    )
    expect(batches.length).toBeGreaterThanOrEqual(3)
    const samples = batches.reduce((n, b) => n + b.t.length, 0)
    // 20 Hz x 8 channels for ~1 s, batched every 250 ms: far fewer messages than samples.
    expect(samples).toBeGreaterThan(100)
    expect(batches.length).toBeLessThan(samples / 16)
  })

  it('refuses a WebSocket opened by a page from another origin', async () => {
    await expect(openSocket({ origin: 'https://attacker.example' })).rejects.toThrow(/403/)
  })
})
