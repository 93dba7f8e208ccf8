import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from '@playwright/test'
import type { MethodName, Params, Result, SourceConfigInput } from '../src/contract'
import { startSocatPair, type SocatPair } from '../test/helpers/socat-pair'
import { spawnHost, type SpawnedHost } from '../test/helpers/spawn-host'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

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

const TRIES = 20
const TARGET_MS = 500
/** The device's normal rate: one line every 100 ms, as a 10 Hz logger would send. */
const FEED_EVERY_MS = 100
const LIMIT = 10
const SENSOR = 'lat.p'
const ALARM_ID = `limit.${SENSOR}.H`

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

/** One contract call over the host's HTTP endpoint; an error envelope throws. */
export async function call<M extends MethodName>(
  url: string,
  method: M,
  params: Params<M>,
): Promise<Result<M>> {
  const res = await fetch(`${url}/api/call/${method}`, {
    method: 'POST',
    body: JSON.stringify(params),
    headers: { 'content-type': 'application/json' },
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
  const deviceFd = openSync(pair.b, 'w')
  await call(host.url, 'saveSource', source(pair.a))
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
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

/** Acknowledges whatever waits for it (e.g. a source alarm from the start-up). */
export async function ackAll(url: string): Promise<void> {
  const list = await call(url, 'listAlarms', {})
  const ids = list.alarms
    .filter((a) => a.state === 'unacked' || a.state === 'rtn-unacked' || a.state === 'latched')
    .map((a) => a.id)
  if (ids.length) await call(url, 'acknowledgeAlarms', { ids, user: 'operator' })
}

/**
 * In the page: records when the banner turns critical while armed (MutationObserver, at the DOM
 * change) and the frame after it (requestAnimationFrame, when it is painted). Epoch ms.
 */
const WATCH_BANNER = `(() => {
  const w = { armed: false, domAt: null, frameAt: null }
  window.__bannerWatch = w
  const sel = '${BANNER}[data-highest="critical"]'
  const check = () => {
    if (!w.armed || w.domAt !== null) return
    const el = document.querySelector(sel)
    if (!el || el.getBoundingClientRect().height === 0) return
    w.domAt = performance.timeOrigin + performance.now()
    requestAnimationFrame(() => { w.frameAt = performance.timeOrigin + performance.now() })
  }
  new MutationObserver(check).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-highest', 'class'],
  })
  w.arm = () => { w.armed = true; w.domAt = null; w.frameAt = null; check() }
})()`

/** What WATCH_BANNER leaves on the page's window. */
interface BannerWatchGlobal {
  __bannerWatch: { frameAt: number | null }
}

interface Try {
  domMs: number
  frameMs: number
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)
  return sorted[Math.max(0, i)] ?? NaN
}

const round1 = (v: number) => Math.round(v * 10) / 10

/**
 * From one serial line crossing an H limit to the critical banner on screen: the host with a
 * serial line source on a real pty (socat), a critical H alarm on its one sensor, the web UI in
 * Chromium. T0 is taken just before the line is written; the page stamps the banner's change.
 */
export async function benchAlarmsLatency(
  context: Record<string, unknown>,
  tries = TRIES,
): Promise<void> {
  const rig = await startRig((path) => ({
    kind: 'serial-lines',
    id: 'lat',
    name: 'Latency bench',
    serial: { path, baudRate: 115_200 },
    format: { kind: 'csv', columns: [{ index: 0, sensorId: SENSOR }] },
    channels: [{ id: SENSOR, name: 'Bench pressure', unit: 'bar', decimals: 2 }],
  }))
  const { host, page, deviceFd } = rig
  let high = false
  let n = 0
  const write = (value: number) => writeSync(deviceFd, `${value.toFixed(2)}\n`)
  const feed = setInterval(() => write(high ? LIMIT + 5 : 5 + Math.sin(n++ / 10)), FEED_EVERY_MS)
  const results: Try[] = []
  try {
    await until(
      async () => (await call(host.url, 'listSensors', {})).some((s) => s.id === SENSOR),
      'the bench sensor',
    )
    await call(host.url, 'saveAlarmDefinition', {
      user: 'engineer',
      definition: {
        kind: 'limit',
        name: 'Bench pressure high',
        priority: 'critical',
        sensorId: SENSOR,
        level: 'H',
        limit: LIMIT,
        deadband: 0,
        onDelayMs: 0,
        offDelayMs: 0,
        latch: false,
      },
    })
    await page.goto(`${host.url}/#/live`)
    await page.waitForSelector(BANNER)
    await page.evaluate(WATCH_BANNER)
    await sleep(3000) // normal values for a few seconds
    await ackAll(host.url)
    const stateOf = async () =>
      (await call(host.url, 'listAlarms', {})).alarms.find((a) => a.id === ALARM_ID)?.state
    const offset = await clockOffset(page)
    for (let i = 0; i < tries; i++) {
      await page.waitForSelector(`${BANNER}:not([data-highest="critical"])`)
      await page.evaluate('window.__bannerWatch.arm()')
      // A random phase against the feed and the 250 ms sample batcher.
      await sleep(300 + Math.random() * 700)
      const t0 = epochNow()
      write(LIMIT + 5)
      high = true
      await page.waitForFunction(
        () => (globalThis as unknown as BannerWatchGlobal).__bannerWatch.frameAt !== null,
        undefined,
        { timeout: 10_000 },
      )
      const seen = (await page.evaluate('({ ...window.__bannerWatch })')) as {
        domAt: number
        frameAt: number
      }
      results.push({ domMs: seen.domAt - t0, frameMs: seen.frameAt - t0 })
      // Back to normal (clear: rtn-unacked), then acknowledged (normal): the banner calms down.
      high = false
      await until(async () => (await stateOf()) === 'rtn-unacked', 'the alarm to clear')
      await call(host.url, 'acknowledgeAlarms', { ids: [ALARM_ID], user: 'operator' })
      await until(async () => (await stateOf()) === 'normal', 'the alarm to return to normal')
    }
    const frame = results.map((r) => r.frameMs).sort((a, b) => a - b)
    const dom = results.map((r) => r.domMs).sort((a, b) => a - b)
    const median = quantile(frame, 0.5)
    report('alarms.latency_to_banner.ms', median, 'ms (median)', {
      ...context,
      target: `< ${TARGET_MS} ms`,
      meetsTarget: quantile(frame, 1) < TARGET_MS,
      tries: frame.length,
      median: round1(median),
      p95: round1(quantile(frame, 0.95)),
      max: round1(quantile(frame, 1)),
      min: round1(quantile(frame, 0)),
      domMedian: round1(quantile(dom, 0.5)),
      domMax: round1(quantile(dom, 1)),
      samples: frame.map(round1),
      feedEveryMs: FEED_EVERY_MS,
      pageClockOffsetMs: round1(offset),
      path: 'pty line -> serial source -> 250 ms sample batcher -> alarm commit -> WebSocket -> banner (next frame)',
    })
  } finally {
    clearInterval(feed)
    await rig.close()
  }
}

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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchAlarmsLatency({ node: process.version })
}
