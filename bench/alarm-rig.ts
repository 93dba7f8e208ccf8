// The rig both alarm benchmarks share: the web host with a serial source on a socat pty, the
// UI in Chromium, contract calls over HTTP.
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from '@playwright/test'
import type { AlarmPriority, MethodName, Params, Result, SourceConfigInput } from '../src/contract'
import { startSocatPair, type SocatPair } from '../test/helpers/socat-pair'
import { spawnHost, type SpawnedHost } from '../test/helpers/spawn-host'
import { makeTempDir } from '../test/helpers/temp-dir'
import { engineerOn } from '../test/helpers/web-session'
import { SESSION_COOKIE } from '../src/host/session-token'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const RENDERER_DIR = join(ROOT, 'out/renderer')
const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]
export const BANNER = '[data-testid="alarm-banner"]'

/** Wall-clock epoch ms with sub-ms resolution, comparable with the page's. */
export const epochNow = (): number => performance.timeOrigin + performance.now()
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * The web UI must be built for the host to serve it: builds it when missing, and refuses a build
 * that predates the alarm banner.
 */
export function ensureRendererBuilt(): void {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    process.stderr.write('out/renderer is missing: running npm run build:web\n')
    const r = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' })
    if (r.status !== 0 || !existsSync(join(RENDERER_DIR, 'index.html')))
      throw new Error('npm run build:web failed: the alarm benchmarks need the built web UI')
  }
  const assets = join(RENDERER_DIR, 'assets')
  const hasBanner = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(join(assets, f), 'utf8').includes('alarm-banner'))
  if (!hasBanner)
    throw new Error(
      'The built web UI (out/renderer) has no alarm banner: it predates the alarms UI. Run: npm run build:web',
    )
}

/** The engineer session the rig made on each host, by URL. */
const sessions = new Map<string, string>()

/** One contract call over the host's HTTP endpoint, as its engineer; an error envelope throws. */
export async function call<M extends MethodName>(
  url: string,
  method: M,
  params: Params<M>,
): Promise<Result<M>> {
  const res = await fetch(`${url}/api/call/${method}`, {
    method: 'POST',
    body: JSON.stringify(params),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${sessions.get(url) ?? ''}`,
    },
  })
  const env = (await res.json()) as
    { ok: true; result: Result<M> } | { ok: false; error: { code: string; message: string } }
  if (!env.ok) throw new Error(`${method} failed: ${env.error.code} ${env.error.message}`)
  return env.result
}

/** Polls until `check` holds, or throws after `ms`. */
export async function until(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

/** What a bench runs against: `vigil serve` on a fresh data folder, a pty pair, Chromium. */
export interface AlarmRig {
  host: SpawnedHost
  pair: SocatPair
  /** The device end of the pty pair, open for writing. */
  deviceFd: number
  browser: Browser
  page: Page
  close(): Promise<void>
}

/** Starts the host (no demo) and a socat pair, saves `source(pair.a)`, returns the rig. */
export async function startRig(source: (path: string) => SourceConfigInput): Promise<AlarmRig> {
  ensureRendererBuilt()
  const tmp = makeTempDir('vigil-bench-alarms-')
  const pair = await startSocatPair(tmp.dir)
  const host = await spawnHost(['--data-dir', join(tmp.dir, 'data')])
  // The first-run set-up link the host printed makes the engineer the rig acts as.
  const engineer = await engineerOn(host)
  sessions.set(host.url, engineer.token)
  const deviceFd = openSync(pair.b, 'w')
  await call(host.url, 'saveSource', source(pair.a))
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.context().addCookies([{ name: SESSION_COOKIE, value: engineer.token, url: host.url }])
  return {
    host,
    pair,
    deviceFd,
    browser,
    page,
    async close() {
      await browser.close().catch(() => {})
      closeSync(deviceFd)
      const killer = setTimeout(() => host.child.kill('SIGKILL'), 10_000)
      await host.stop('SIGTERM')
      clearTimeout(killer)
      await pair.kill()
      tmp.remove()
    },
  }
}

/** An H limit alarm without delays or deadband, so every crossing activates it at once. */
export async function defineHighLimit(
  url: string,
  sensorId: string,
  name: string,
  priority: AlarmPriority,
  limit: number,
): Promise<void> {
  await call(url, 'saveAlarmDefinition', {
    definition: {
      kind: 'limit',
      name,
      priority,
      sensorId,
      level: 'H',
      limit,
      deadband: 0,
      onDelayMs: 0,
      offDelayMs: 0,
      latch: false,
    },
  })
}

/** Acknowledges whatever waits for it (e.g. a source alarm from the start-up). */
export async function ackAll(url: string): Promise<void> {
  const list = await call(url, 'listAlarms', {})
  const ids = list.alarms
    .filter((a) => a.state === 'unacked' || a.state === 'rtn-unacked' || a.state === 'latched')
    .map((a) => a.id)
  if (ids.length) await call(url, 'acknowledgeAlarms', { ids })
}

/** The value at quantile q of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)
  return sorted[Math.max(0, i)] ?? NaN
}

export const round1 = (v: number) => Math.round(v * 10) / 10

/** The page's epoch clock minus ours (both read the same system clock; should be ~0). */
export async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 }
  for (let i = 0; i < 5; i++) {
    const a = epochNow()
    const p = (await page.evaluate('performance.timeOrigin + performance.now()')) as number
    const b = epochNow()
    if (b - a < best.rtt) best = { rtt: b - a, offset: p - (a + b) / 2 }
  }
  return best.offset
}
