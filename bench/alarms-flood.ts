import { spawnSync } from 'node:child_process'
import { readFileSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AlarmPriority } from '../src/contract'
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

const ALARMS = 100
const PRIORITIES: readonly AlarmPriority[] = ['critical', 'high', 'medium', 'low']
/** One line every 250 ms, each alarm's value flipping every line: 2 activations/s per alarm. */
const LINE_MS = 250
const LIMIT = 50
const NORMAL = 40
const TARGET_PER_MIN = 10_000
const channelId = (i: number) => `flood.c${String(i).padStart(2, '0')}`
const alarmId = (i: number) => `limit.${channelId(i)}.H`
/** Mixed, and each priority on both phases (pairs: c00 c01 critical, c02 c03 high, ...). */
const priorityOf = (i: number): AlarmPriority => PRIORITIES[Math.floor(i / 2) % 4] ?? 'low'
/** Above the limit on the lines where (line + channel) is even; the value tells the line apart. */
const isAbove = (line: number, i: number) => (line + i) % 2 === 0
const aboveValue = (line: number) => LIMIT + 10 + line / 1000

/**
 * In the page, from `start()` on: the longest gap between animation frames, long tasks
 * (PerformanceObserver 'longtask'), and every change of the banner's value and unacked count,
 * stamped in epoch ms.
 */
const WATCH_UI = `(() => {
  const now = () => performance.timeOrigin + performance.now()
  const w = {
    running: false, frames: 0, lastFrame: 0, maxGap: 0, maxGapAt: 0,
    longTasks: 0, longTaskMs: 0, longestTask: 0, longTaskAt: [], values: [], unacked: [],
    longTaskSupported: PerformanceObserver.supportedEntryTypes.includes('longtask'),
  }
  window.__floodWatch = w
  const frame = () => {
    if (!w.running) return
    const t = now()
    if (w.lastFrame && t - w.lastFrame > w.maxGap) { w.maxGap = t - w.lastFrame; w.maxGapAt = t }
    w.lastFrame = t
    w.frames++
    requestAnimationFrame(frame)
  }
  new PerformanceObserver((list) => {
    if (!w.running) return
    for (const e of list.getEntries()) {
      w.longTasks++
      w.longTaskMs += e.duration
      w.longestTask = Math.max(w.longestTask, e.duration)
      w.longTaskAt.push(performance.timeOrigin + e.startTime)
    }
  }).observe({ type: 'longtask' })
  let lastValue = null
  let lastUnacked = null
  const read = () => {
    const t = now()
    const v = document.querySelector('[data-testid="banner-value"]')?.textContent ?? null
    if (v !== lastValue) { lastValue = v; w.values.push([t, v]) }
    const u = document.querySelector('${BANNER}')?.getAttribute('data-unacked') ?? null
    if (u !== lastUnacked) { lastUnacked = u; w.unacked.push([t, u]) }
  }
  new MutationObserver(read).observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ['data-unacked'],
  })
  w.start = () => {
    Object.assign(w, { running: true, lastFrame: 0, maxGap: 0, longTaskAt: [], values: [], unacked: [] })
    lastValue = lastUnacked = null
    read()
    requestAnimationFrame(frame)
  }
  w.stop = () => { w.running = false }
})()`

interface UiWatch {
  frames: number
  maxGap: number
  maxGapAt: number
  longTaskAt: number[]
  longTasks: number
  longTaskMs: number
  longestTask: number
  longTaskSupported: boolean
  values: [number, string | null][]
  unacked: [number, string | null][]
}

/** utime + stime of a process, in ms (Linux). */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100
    return (ticks * 1000) / hz
  } catch {
    return null
  }
}

/**
 * An alarm flood through the real path: one serial CSV source (socat pty) with 100 channels,
 * 100 limit alarms (mixed priorities, no delays, deadband 0), lines alternating above and below
 * the limits so that each alarm re-activates twice a second: 12,000 activations a minute. The
 * web UI is open in Chromium on the Alarms page. Measures the UI's responsiveness, the banner
 * keeping up, the host's CPU, and that the journal holds every activation the lines produced.
 */
export async function benchAlarmsFlood(
  context: Record<string, unknown>,
  seconds = 60,
): Promise<void> {
  const channels = Array.from({ length: ALARMS }, (_, i) => i)
  const rig = await startRig((path) => ({
    kind: 'serial-lines',
    id: 'flood',
    name: 'Flood bench',
    serial: { path, baudRate: 921_600 },
    format: {
      kind: 'csv',
      columns: channels.map((i) => ({ index: i, sensorId: channelId(i) })),
    },
    channels: channels.map((i) => ({ id: channelId(i), name: `Flood ${i}`, decimals: 3 })),
  }))
  const { host, page, deviceFd } = rig
  const writeLine = (values: readonly number[]) =>
    writeSync(deviceFd, values.map((v) => v.toFixed(3)).join(',') + '\n')
  const normalLine = channels.map(() => NORMAL)

  // The device sends normal lines at the flood's cadence from the start.
  let normal = true
  let feeding = true
  const feeder = (async () => {
    const start = Date.now()
    for (let k = 0; feeding; k++) {
      await sleep(Math.max(0, start + k * LINE_MS - Date.now()))
      if (normal && feeding) writeLine(normalLine)
    }
  })()

  try {
    await until(async () => (await call(host.url, 'listSensors', {})).length >= ALARMS, 'sensors')
    for (const i of channels) {
      await defineHighLimit(
        host.url,
        channelId(i),
        `Flood ${String(i).padStart(2, '0')} high`,
        priorityOf(i),
        LIMIT,
      )
    }
    await page.goto(`${host.url}/#/alarms`)
    await page.waitForSelector(BANNER)
    await page.evaluate(WATCH_UI)
    await sleep(2000)
    await ackAll(host.url)
    await sleep(1000)
    const offset = await clockOffset(page)

    // The flood: this loop writes every line itself (the feeder pauses).
    const lines = Math.round((seconds * 1000) / LINE_MS)
    const wasAbove = channels.map(() => false)
    const expectedPer = channels.map(() => 0)
    const written: number[] = []
    await page.evaluate('window.__floodWatch.start()')
    const cpu0 = processCpuMs(host.child.pid ?? -1)
    const wall0 = epochNow()
    normal = false
    const start = Date.now() + LINE_MS
    for (let k = 0; k < lines; k++) {
      await sleep(Math.max(0, start + k * LINE_MS - Date.now()))
      const values = channels.map((i) => (isAbove(k, i) ? aboveValue(k) : NORMAL))
      for (const i of channels) {
        const above = isAbove(k, i)
        // A rising edge: normal or rtn-unacked → unacked, one activation.
        if (above && !wasAbove[i]) expectedPer[i] = (expectedPer[i] ?? 0) + 1
        wasAbove[i] = above
      }
      written.push(epochNow())
      writeLine(values)
    }
    const floodMs = epochNow() - wall0 + LINE_MS
    const expected = expectedPer.reduce((a, b) => a + b, 0)
    normal = true
    await sleep(1500) // the last lines through the batcher; then only normal lines
    await page.evaluate('window.__floodWatch.stop()')
    const cpu1 = processCpuMs(host.child.pid ?? -1)
    const wall1 = epochNow()
    const ui = (await page.evaluate('({ ...window.__floodWatch })')) as UiWatch

    // Keeping up: the banner's count matches the host's, and an acknowledgement of everything
    // shows within a moment.
    const hostUnacked = (await call(host.url, 'listAlarms', {})).summary.unacked
    const bannerUnacked = Number(await page.getAttribute(BANNER, 'data-unacked'))
    const ackAt = epochNow()
    await ackAll(host.url)
    await page.waitForSelector(`${BANNER}[data-unacked="0"]`, { timeout: 10_000 })
    const afterAck = (await page.evaluate('window.__floodWatch.unacked')) as UiWatch['unacked']
    const zeroAt = afterAck.find(([t, u]) => t >= ackAt && u === '0')?.[0] ?? NaN

    // The banner's value names the line it came from: how long after writing each line it showed.
    const lags: number[] = []
    for (const [t, text] of ui.values) {
      const v = Number((text ?? '').replace(/[^0-9.-]/g, ''))
      if (!(v > LIMIT)) continue
      const k = Math.round((v - LIMIT - 10) * 1000)
      const at = written[k]
      if (at !== undefined) lags.push(t - at)
    }
    lags.sort((a, b) => a - b)

    // The journal: every activation the lines produced, per alarm.
    const range = { from: Math.floor(wall0) - 60_000, to: Date.now() + 1000 }
    let journaled = 0
    const short: string[] = []
    for (const i of channels) {
      const { total } = await call(host.url, 'queryAlarmJournal', {
        ...range,
        alarmId: alarmId(i),
        states: ['unacked'],
        limit: 1,
      })
      journaled += total
      if (total !== expectedPer[i]) short.push(`${alarmId(i)}: ${total} of ${expectedPer[i]}`)
    }
    const perMin = (journaled * 60_000) / floodMs
    const base = { ...context, alarms: ALARMS, lines, lineMs: LINE_MS, seconds }
    report('alarms.flood.activations_per_min', perMin, 'activations/min', {
      ...base,
      target: `>= ${TARGET_PER_MIN}`,
      meetsTarget: perMin >= TARGET_PER_MIN,
      journaled,
      floodMs: Math.round(floodMs),
    })
    report('alarms.flood.journal_complete', journaled / expected, 'journaled / expected', {
      ...base,
      target: 1,
      expected,
      journaled,
      complete: journaled === expected,
      alarmsOff: short.slice(0, 10),
    })
    report('alarms.flood.max_frame_gap_ms', ui.maxGap, 'ms', {
      ...base,
      frames: ui.frames,
      fps: round1((ui.frames * 1000) / (wall1 - wall0)),
      atSecond: round1((ui.maxGapAt - wall0) / 1000),
      page: '#/alarms',
    })
    report('alarms.flood.long_tasks', ui.longTasks, 'long tasks (> 50 ms)', {
      ...base,
      supported: ui.longTaskSupported,
      totalMs: round1(ui.longTaskMs),
      longestMs: round1(ui.longestTask),
      atSeconds: ui.longTaskAt.slice(0, 20).map((t) => round1((t - wall0) / 1000)),
    })
    report(
      'alarms.flood.banner_lag_ms',
      quantile(lags, 0.5),
      'ms (median, line written -> banner)',
      {
        ...base,
        p95: round1(quantile(lags, 0.95)),
        max: round1(quantile(lags, 1)),
        linesShown: lags.length,
        bannerUnackedAfterFlood: bannerUnacked,
        hostUnackedAfterFlood: hostUnacked,
        ackAllToBannerZeroMs: round1(zeroAt - ackAt),
        pageClockOffsetMs: round1(offset),
      },
    )
    if (cpu0 !== null && cpu1 !== null)
      report(
        'alarms.flood.host_cpu_fraction',
        (cpu1 - cpu0) / (wall1 - wall0),
        'fraction of one core',
        {
          ...base,
          process: 'vigil serve',
        },
      )
  } finally {
    feeding = false
    await feeder
    await rig.close()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchAlarmsFlood({ node: process.version }, process.argv.includes('--quick') ? 15 : 60)
}
