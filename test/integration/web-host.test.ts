import { execFileSync } from 'node:child_process'
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { request, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { SampleBatch, ServerMessage } from '../../src/contract'
import { startServer, type RunningServer } from '../../src/host/server'
import { silentLogger } from '../../src/log/logger'
import { Monitor } from '../../src/monitor/monitor'
import { addAccount, TEST_PASSWORD } from '../helpers/callers'
import { makeTempDir } from '../helpers/temp-dir'
import { signInWeb, type WebSession } from '../helpers/web-session'

let tmp: ReturnType<typeof makeTempDir>
let monitor: Monitor
let server: RunningServer
let engineer: WebSession
let staticDir: string

beforeAll(async () => {
  tmp = makeTempDir()
  staticDir = join(tmp.dir, 'ui')
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
  await addAccount(monitor, 'Eric', 'engineer')
  await addAccount(monitor, 'Olga', 'operator')
  engineer = await signInWeb(server.url, 'Eric')
}, 60_000)

afterAll(async () => {
  await server.close()
  await monitor.close()
  tmp.remove()
})

const anonymousCall = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/call/${method}`, { method: 'POST', body: JSON.stringify(body), headers })

/** A raw request, with a Host header of our choosing (fetch does not allow that). */
function raw(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end('{}')
  })
}

function openSocket(headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(server.url.replace('http', 'ws') + '/api/ws', { headers })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

describe('vigil serve: HTTP', () => {
  it('GET /api/health tells anyone only that it runs; a signed-in caller gets the details', async () => {
    const open = (await (await fetch(`${server.url}/api/health`)).json()) as Record<string, unknown>
    expect(open).toMatchObject({ ok: true, version: expect.any(String), backend: 'unavailable' })
    expect(open.sources).toBeUndefined()
    const res = await fetch(`${server.url}/api/health`, {
      headers: { authorization: `Bearer ${engineer.token}` },
    })
    expect(await res.json()).toMatchObject({ ok: true, sensors: 8, clients: 0 })
  })

  it('serves the built UI and never a file outside it', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toContain('Vigil UI')
    expect(await (await fetch(`${server.url}/live/deep/link`)).text()).toContain('Vigil UI')
    const escape = await fetch(`${server.url}/..%2Fsecret.txt`)
    expect(await escape.text()).not.toContain('not for the web')
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404)
  })

  it('answers contract calls with envelopes and HTTP status codes that match', async () => {
    const ok = await engineer.post('listSensors', {})
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { result: unknown[] }).result).toHaveLength(8)
    const bad = await engineer.post('querySeries', { sensorIds: 'pump.flow' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect((await engineer.post('nope', {})).status).toBe(404)
    const notJson = await fetch(`${server.url}/api/call/listSensors`, {
      method: 'POST',
      body: '{oops',
      headers: { authorization: `Bearer ${engineer.token}` },
    })
    expect(notJson.status).toBe(400)
  })

  it('refuses requests addressed to another host name (DNS rebinding) and cross-origin calls', async () => {
    const auth = { authorization: `Bearer ${engineer.token}` }
    expect(
      (await raw(server.url, '/api/call/listSensors', { host: 'evil.example', ...auth })).status,
    ).toBe(403)
    const cross = await engineer.post('listSensors', {}, { origin: 'https://attacker.example' })
    expect(cross.status).toBe(403)
    // Same host and port, another scheme: not this host's page either.
    const port = new URL(server.url).port
    const scheme = await engineer.post('listSensors', {}, { origin: `https://127.0.0.1:${port}` })
    expect(scheme.status).toBe(403)
    const same = await engineer.post('listSensors', {}, { origin: server.url })
    expect(same.status).toBe(200)
  })
})

describe('vigil serve: sessions', () => {
  it('POST /api/login answers a token and sets an HttpOnly, SameSite=Strict cookie; both work', async () => {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ name: 'olga', password: TEST_PASSWORD }),
    })
    expect(res.status).toBe(200)
    const env = (await res.json()) as { result: Record<string, unknown> }
    expect(env.result).toMatchObject({
      token: expect.any(String),
      user: 'Olga',
      role: 'operator',
      expiresAt: expect.any(Number),
    })
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^vigil_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/)
    const byCookie = await anonymousCall('listAlarms', {}, { cookie: cookie.split(';')[0] ?? '' })
    expect(byCookie.status).toBe(200)
    const byBearer = await anonymousCall(
      'listAlarms',
      {},
      {
        authorization: `Bearer ${String(env.result.token)}`,
      },
    )
    expect(byBearer.status).toBe(200)

    const out = await fetch(`${server.url}/api/logout`, {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0] ?? '' },
    })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(
      (await anonymousCall('listAlarms', {}, { cookie: cookie.split(';')[0] ?? '' })).status,
    ).toBe(401)
  })

  it('refuses a wrong password with 401 and the same words as an unknown name', async () => {
    const wrong = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Olga', password: 'not it at all' }),
    })
    const unknown = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Nobody', password: 'not it at all' }),
    })
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    const a = (await wrong.json()) as { error: { message: string } }
    const b = (await unknown.json()) as { error: { message: string } }
    expect(a.error.message).toBe(b.error.message)
  })

  it('journals an action under the signed-in name; a `user` in the payload is refused', async () => {
    const olga = await signInWeb(server.url, 'Olga')
    const spoofed = await olga.post('acknowledgeAlarms', { ids: ['model'], user: 'Eric' })
    expect(spoofed.status).toBe(400)
    await engineer.call('setStorageSettings', {
      rawRetentionDays: 30,
      minuteRetentionDays: 365,
      hourRetentionDays: null,
      maxSizeMb: null,
    })
    const trail = await engineer.call<{
      entries: { user: string; action: string; origin: string }[]
    }>('queryAuditTrail', {
      from: 0,
      to: Date.now() + 1000,
      actions: ['storage-settings', 'sign-in'],
    })
    expect(trail.entries[0]).toMatchObject({
      user: 'Eric',
      action: 'storage-settings',
      origin: '127.0.0.1',
    })
    expect(trail.entries.some((e) => e.action === 'sign-in' && e.user === 'Olga')).toBe(true)
  })
})

describe('vigil serve: files', () => {
  it('refuses previews of /etc/shadow, a FIFO and /dev/urandom, as an engineer, with a plain message', async () => {
    const fifo = join(tmp.dir, 'data', 'imports', 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    const answers: Record<string, { status: number; message: string }> = {}
    for (const path of ['/etc/shadow', fifo, '/dev/urandom']) {
      const res = await engineer.post('previewFile', { path })
      const env = (await res.json()) as { error: { message: string } }
      answers[path] = { status: res.status, message: env.error.message }
    }
    expect(answers['/etc/shadow']).toEqual({
      status: 403,
      message: expect.stringMatching(
        /^\/etc\/shadow is outside the folders files may be read from/,
      ),
    })
    expect(answers[fifo]).toEqual({
      status: 403,
      message: `${fifo} is not a regular file (a device, a pipe, a folder or a system file): only regular files can be read.`,
    })
    expect(answers['/dev/urandom']?.status).toBe(403)
    expect(answers['/dev/urandom']?.message).toMatch(/not a regular file/)
    // The host is not stuck on the pipe: it still answers.
    expect((await engineer.post('listSensors', {})).status).toBe(200)
    // An operator may not preview at all.
    const olga = await signInWeb(server.url, 'Olga')
    expect((await olga.post('previewFile', { path: '/etc/hostname' })).status).toBe(403)
  })
})

describe('vigil serve: storage', () => {
  it('reports the database, takes valid retention settings, refuses bad ones field by field', async () => {
    const info = (await (await engineer.post('getStorage', {})).json()) as {
      result: { file: string }
    }
    expect(info.result.file).toMatch(/vigil\.db$/)
    const bad = await engineer.post('setStorageSettings', {
      rawRetentionDays: 90,
      minuteRetentionDays: 30,
      hourRetentionDays: null,
      maxSizeMb: 5,
    })
    expect(bad.status).toBe(400)
    const issues = ((await bad.json()) as { error: { issues: string[] } }).error.issues
    expect(issues.some((i) => i.startsWith('maxSizeMb'))).toBe(true)
    const good = {
      rawRetentionDays: 7,
      minuteRetentionDays: 90,
      hourRetentionDays: 3650,
      maxSizeMb: 512,
    }
    const saved = await engineer.call<{ settings: unknown }>('setStorageSettings', good)
    expect(saved.settings).toEqual(good)
  })

  it('backs up on request into the data folder, integrity-checked', async () => {
    const res = await engineer.call<{ file: string; integrity: string }>('backupNow', {})
    expect(res.file).toContain(join(tmp.dir, 'data', 'backups'))
    expect(res.integrity).toBe('ok')
  })
})

describe('vigil serve: WebSocket', () => {
  it('is refused at the upgrade without a session', async () => {
    await expect(openSocket()).rejects.toThrow(/401/)
    await expect(openSocket({ cookie: 'vigil_session=forged' })).rejects.toThrow(/401/)
  })

  it('answers calls by id as the signed-in user and pushes batched samples', async () => {
    const ws = await openSocket({ authorization: `Bearer ${engineer.token}` })
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

  it('is closed, with the reason, when its session ends', async () => {
    const olga = await signInWeb(server.url, 'Olga')
    const ws = await openSocket({ authorization: `Bearer ${olga.token}` })
    const events: unknown[] = []
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as ServerMessage
      if (m.type === 'event' && m.event === 'session') events.push(m.data)
    })
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    await engineer.call('resetPassword', { name: 'Olga', newPassword: TEST_PASSWORD })
    expect(await closed).toBe(4401)
    expect(events).toEqual([{ ended: 'password-changed' }])
    expect((await olga.post('listAlarms', {})).status).toBe(401)
  })

  it('refuses a WebSocket opened by a page from another origin', async () => {
    await expect(
      openSocket({ origin: 'https://attacker.example', authorization: `Bearer ${engineer.token}` }),
    ).rejects.toThrow(/403/)
  })
})

describe('vigil serve on the network', () => {
  it('refuses a foreign Host or Origin also when bound to 0.0.0.0, and accepts its own names', async () => {
    const wide = await startServer({
      monitor,
      host: '0.0.0.0',
      port: 0,
      staticDir,
      logger: silentLogger,
      allowHosts: ['vigil.plant.local'],
    })
    try {
      const url = `http://127.0.0.1:${wide.port}`
      const auth = { authorization: `Bearer ${engineer.token}` }
      const asHost = (host: string, extra: Record<string, string> = {}) =>
        raw(url, '/api/call/listSensors', { host, ...auth, ...extra })
      expect((await asHost('evil.example')).status).toBe(403)
      expect((await asHost(`evil.example:${wide.port}`)).status).toBe(403)
      expect(
        (await asHost(`127.0.0.1:${wide.port}`, { origin: 'http://evil.example' })).status,
      ).toBe(403)
      expect((await asHost(`vigil.plant.local:${wide.port}`)).status).toBe(200)
      expect(
        (
          await asHost(`vigil.plant.local:${wide.port}`, {
            origin: `http://vigil.plant.local:${wide.port}`,
          })
        ).status,
      ).toBe(200)
      // Deleting history is an engineer's call, and only from this host's pages.
      const dnsRebound = await asHost('evil.example', { origin: 'http://evil.example' })
      expect(dnsRebound.status).toBe(403)
    } finally {
      await wide.close()
    }
  })

  it('serves HTTPS with --tls-cert/--tls-key, and its cookie is Secure', async () => {
    const dir = fileURLToPath(new URL('../fixtures/tls', import.meta.url))
    const tls = {
      cert: readFileSync(join(dir, 'cert.pem')),
      key: readFileSync(join(dir, 'key.pem')),
    }
    const secure = await startServer({
      monitor,
      host: '127.0.0.1',
      port: 0,
      staticDir,
      logger: silentLogger,
      tls,
    })
    try {
      expect(secure.url).toMatch(/^https:/)
      const res = await new Promise<{ status: number; headers: IncomingHttpHeaders }>(
        (resolve, reject) => {
          const req = httpsRequest(
            `${secure.url}/api/login`,
            { method: 'POST', ca: tls.cert, headers: { origin: secure.url } },
            (r) => {
              r.resume()
              resolve({ status: r.statusCode ?? 0, headers: r.headers })
            },
          )
          req.on('error', reject)
          req.end(JSON.stringify({ name: 'Olga', password: TEST_PASSWORD }))
        },
      )
      expect(res.status).toBe(200)
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/)
    } finally {
      await secure.close()
    }
  })

  it('will not listen beyond loopback while no engineer account exists', async () => {
    const fresh = makeTempDir()
    const lonely = await Monitor.create({ dataDir: fresh.dir, host: 'server', backend: 'skip' })
    try {
      await expect(
        startServer({ monitor: lonely, host: '0.0.0.0', port: 0, staticDir, logger: silentLogger }),
      ).rejects.toThrow(/no engineer account yet/)
    } finally {
      await lonely.close()
      fresh.remove()
    }
  })
})
