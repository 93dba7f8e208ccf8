import { writeSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  BANNER,
  ackAll,
  call,
  clockOffset,
  defineHighLimit,
  epochNow,
  quantile,
  round1,
  sleep,
  startRig,
  until,
} from './alarm-rig'
import { report } from './report'

const TRIES = 20
const TARGET_MS = 500
/** The device's normal rate: one line every 100 ms, as a 10 Hz logger would send. */
const FEED_EVERY_MS = 100
const LIMIT = 10
const SENSOR = 'lat.p'
const ALARM_ID = `limit.${SENSOR}.H`

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
    await defineHighLimit(host.url, SENSOR, 'Bench pressure high', 'critical', LIMIT)
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
      await call(host.url, 'acknowledgeAlarms', { ids: [ALARM_ID] })
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchAlarmsLatency({ node: process.version })
}
