import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { METHOD_NAMES, modelSpecSchema, trainingOptionsSchema } from '../../src/contract'
import type { FromWorker, ToWorker } from '../../src/model/worker/protocol'
import { makeTempDir } from '../helpers/temp-dir'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUNNER = fileURLToPath(new URL('../helpers/electron-smoke/run.mjs', import.meta.url))
const BUNDLE = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))

interface SmokeReport {
  channels: string[]
  signedOut: { ok: boolean; error?: { code: string } }
  firstRun: { ok: boolean; result?: unknown }
  setUp: { ok: boolean; result?: Record<string, unknown> }
  switched: { ok: boolean; result?: Record<string, unknown> }
  operatorMayNot: { ok: boolean; error?: { code: string } }
  status: {
    ok: boolean
    result?: { host: string; sensors: number; demo: unknown; dataDir: string }
  }
  bad: { ok: boolean; error?: { code: string } }
  foreign: { ok: boolean; error?: { code: string } }
  sent: string[]
  webPreferences: Record<string, boolean>
  preloadExists: boolean
  rendererExists: boolean
  quitWaitedForClose: boolean
  alarm: {
    saved: boolean
    raised: string | null
    ack: {
      ok: boolean
      result?: { changed: { state: string; ackedBy: string | null; ackNote: string | null }[] }
    }
    notifications: { title: string; body: string }[]
  }
}

const userData = makeTempDir('vigil-electron-')
let report: SmokeReport

// The desktop shell cannot start here (no Electron binary), so its built main-process bundle
// runs under Node against a stand-in `electron` module that plays the window's part.
beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      fileURLToPath(
        new URL('../../node_modules/electron-vite/bin/electron-vite.js', import.meta.url),
      ),
      'build',
    ],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  )
  const run = spawnSync(process.execPath, [RUNNER, BUNDLE], {
    env: { ...process.env, FAKE_USER_DATA: userData.dir, ELECTRON_RENDERER_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  const line = run.stdout.trim().split('\n').pop() ?? ''
  if (run.status !== 0 || !line.startsWith('{'))
    throw new Error(`main bundle failed: ${run.stderr}\n${run.stdout}`)
  report = JSON.parse(line) as SmokeReport
}, 120_000)
afterAll(() => userData.remove())

describe('the built Electron main process', () => {
  it('registers one IPC handler per contract method', () => {
    expect(report.channels).toEqual(METHOD_NAMES.map((m) => `vigil:${m}`).sort())
  })

  it('asks its window for the first engineer account before anything else, and keeps the token', () => {
    expect(report.signedOut).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(report.firstRun).toEqual({
      ok: true,
      result: { setupRequired: true, setupNeedsToken: false, session: null },
    })
    expect(report.setUp).toMatchObject({ ok: true, result: { user: 'Eric', role: 'engineer' } })
    expect(report.setUp.result?.token).toBeUndefined()
  })

  it('switches user in the same window: the operator acts under their own name and role', () => {
    expect(report.switched).toMatchObject({ ok: true, result: { user: 'Olga', role: 'operator' } })
    expect(report.operatorMayNot).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('answers its own window with the monitor running the demo plant in the user data folder', () => {
    expect(report.status.ok).toBe(true)
    expect(report.status.result).toMatchObject({
      host: 'electron',
      sensors: 8,
      dataDir: userData.dir,
    })
    expect(report.status.result?.demo).toEqual({ fault: 'none', since: null })
    expect(existsSync(`${userData.dir}/vigil.db`)).toBe(true)
  })

  it('validates payloads and refuses frames that are not its renderer', () => {
    expect(report.bad).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
    expect(report.foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('forwards batched samples to the window', () => {
    expect(report.sent).toContain('vigil:event:samples')
  })

  it('raises an alarm with a system notification, and its window acknowledges it', () => {
    expect(report.alarm.saved).toBe(true)
    expect(report.alarm.raised).toBe('unacked')
    expect(report.alarm.notifications).toHaveLength(1)
    expect(report.alarm.notifications[0]?.title).toMatch(/Critical.*Flow low/)
    expect(report.alarm.ack.ok).toBe(true)
    expect(report.alarm.ack.result?.changed[0]).toMatchObject({
      state: 'acked',
      ackedBy: 'Olga',
      ackNote: 'seen from the desktop',
    })
    expect(report.sent).toContain('vigil:event:alarms')
  })

  it('opens a sandboxed, isolated window on the built renderer with the built preload', () => {
    expect(report.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    })
    expect(report.preloadExists).toBe(true)
    expect(report.rendererExists).toBe(true)
  })

  it('closes the monitor before quitting, releasing the data folder', () => {
    expect(report.quitWaitedForClose).toBe(true)
    expect(readdirSync(userData.dir)).not.toContain('vigil.lock')
  })

  it('ships the model worker beside the main bundle: it loads a backend and trains a model', async () => {
    const worker = new Worker(
      fileURLToPath(new URL('../../out/main/model-worker.js', import.meta.url)),
    )
    try {
      const messages: FromWorker[] = []
      const next = (type: FromWorker['type']) =>
        new Promise<FromWorker>((resolve, reject) => {
          const seen = messages.find((m) => m.type === type)
          if (seen) return resolve(seen)
          const onMessage = (m: FromWorker) => {
            if (m.type !== type) return
            worker.off('message', onMessage)
            resolve(m)
          }
          worker.on('message', onMessage)
          worker.once('error', reject)
        })
      worker.on('message', (m: FromWorker) => messages.push(m))
      const ready = await next('ready')
      expect(ready.type === 'ready' && ['tfjs-node', 'wasm', 'cpu'].includes(ready.backend)).toBe(
        true,
      )
      const rows = 300
      const values = new Float32Array(rows * 2)
      for (let r = 0; r < rows; r++) {
        values[r * 2] = Math.sin(r / 5)
        values[r * 2 + 1] = Math.cos(r / 5)
      }
      const msg: ToWorker = {
        type: 'train',
        jobId: 'bundle',
        matrix: { rows, cols: 2, values },
        spec: modelSpecSchema.parse({ sensorIds: ['a', 'b'], windowSize: 8, dModel: 8, heads: 2 }),
        options: trainingOptionsSchema.parse({ epochs: 1, stride: 2, batchSize: 16 }),
      }
      worker.postMessage(msg)
      const done = await Promise.race([next('trained'), next('train-failed')])
      expect(done.type).toBe('trained')
      if (done.type === 'trained') expect(done.result.validationScores.length).toBeGreaterThan(0)
    } finally {
      await worker.terminate()
    }
  }, 60_000)
})
