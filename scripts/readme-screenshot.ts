// Makes docs/screenshot.png: the live trend of the demo plant with a trained model active and the
// valve-closing fault under way. node bin/run-ts.mjs scripts/readme-screenshot.ts [OUT.png]
// Needs `npm run build:web` first and Chromium at /usr/bin/chromium.
import { chromium } from '@playwright/test'
import { spawnHost } from '../test/helpers/spawn-host'
import { makeTempDir } from '../test/helpers/temp-dir'

const out = process.argv[2] ?? 'docs/screenshot.png'
const tmp = makeTempDir('vigil-shot-')
const host = await spawnHost(['--demo', '--data-dir', tmp.dir])

async function call<T>(method: string, params: unknown): Promise<T> {
  const res = await fetch(`${host.url}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  })
  const body = (await res.json()) as { ok: boolean; result: T; error?: { message: string } }
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`)
  return body.result
}

try {
  const sensors = await call<{ id: string }[]>('listSensors', {})
  const now = Date.now()
  const job = await call<{ jobId: string }>('startTraining', {
    name: 'Pump, normal running',
    spec: { sensorIds: sensors.map((s) => s.id) },
    from: now - 6 * 3_600_000,
    to: now,
    activate: true,
  })
  for (;;) {
    const p = await call<{ state: string; error: string | null } | null>('getTraining', {})
    if (p && ['done', 'failed', 'cancelled'].includes(p.state)) {
      if (p.state !== 'done') throw new Error(`training ${job.jobId}: ${p.state} ${p.error}`)
      break
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  // Normal running, then the fault.
  await new Promise((r) => setTimeout(r, 60_000))
  await call('setDemoFault', { fault: 'valve-closing' })
  await new Promise((r) => setTimeout(r, 75_000))
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  await page.goto(host.url)
  await page.getByRole('button', { name: '5 min', exact: true }).click()
  await page.waitForTimeout(4000)
  await page.screenshot({ path: out })
  if (process.env.VIGIL_SHOT_SCORES) {
    const end = Date.now()
    const q = await call<{ series: { t: number[]; v: (number | null)[] }[] }>('querySeries', {
      sensorIds: ['model:score'],
      from: end - 300_000,
      to: end,
      maxPoints: 1000,
    })
    const models = await call<{ threshold: number }[]>('listModels', {})
    process.stdout.write(
      JSON.stringify({ threshold: models[0]?.threshold, score: q.series[0] }) + '\n',
    )
  }
  await browser.close()
  process.stdout.write(`wrote ${out}\n`)
} finally {
  await host.stop()
  tmp.remove()
}
