import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { METHOD_NAMES } from '../../src/contract'
import { makeTempDir } from '../helpers/temp-dir'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RUNNER = fileURLToPath(new URL('../helpers/electron-smoke/run.mjs', import.meta.url))
const BUNDLE = fileURLToPath(new URL('../../out/main/index.js', import.meta.url))

interface SmokeReport {
  channels: string[]
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
})
