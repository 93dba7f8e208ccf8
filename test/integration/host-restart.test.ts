import { afterEach, describe, expect, it } from 'vitest'
import type { QuerySeriesResult } from '../../src/contract'
import Database from 'better-sqlite3'
import { appendFileSync, existsSync, statSync } from 'node:fs'
import { MAX_LOG_BYTES } from '../../src/log/logger'
import { join } from 'node:path'
import { runVigil, spawnHost, type SpawnedHost } from '../helpers/spawn-host'
import { makeTempDir } from '../helpers/temp-dir'
import { until } from '../helpers/until'
import { engineerOn, type WebSession } from '../helpers/web-session'

const hosts: SpawnedHost[] = []
const dirs: ReturnType<typeof makeTempDir>[] = []
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop('SIGKILL')
  for (const d of dirs.splice(0)) d.remove()
})

const sessions = new WeakMap<SpawnedHost, WebSession>()

async function query(host: SpawnedHost, from: number, to: number): Promise<number[]> {
  let engineer = sessions.get(host)
  if (!engineer) sessions.set(host, (engineer = await engineerOn(host)))
  const r = await engineer.call<QuerySeriesResult>('querySeries', {
    sensorIds: ['pump.flow'],
    from,
    to,
    maxPoints: 10_000,
  })
  return r.series[0]?.t ?? []
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('vigil serve as a process', () => {
  it('loads a real ML backend and reports it on the health endpoint', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const host = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(host)
    const backend = await until('the ML backend to load', async () => {
      const health = (await (await fetch(`${host.url}/api/health`)).json()) as { backend: string }
      return health.backend !== 'pending' && health.backend
    })
    expect(['tfjs-node', 'wasm', 'cpu']).toContain(backend)
  })

  it('killed with SIGKILL, it restarts on the same data folder with the history intact', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const first = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(first)
    const from = Date.now() - 1000
    const seenBeforeKill = await until('three live samples', async () => {
      const t = await query(first, from, Date.now() + 1000)
      return t.length >= 3 && t
    })
    const killedAt = Date.now()
    await first.stop('SIGKILL')

    const second = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(second)
    // Everything the first host had answered with before the kill is still there.
    const after = await query(second, from, killedAt)
    for (const t of seenBeforeKill) expect(after).toContain(t)
    // The second host goes on recording after the newest sample of the first.
    const newest = Math.max(...after)
    await until('a sample recorded by the restarted host', async () => {
      const t = await query(second, newest + 1, Date.now() + 1000)
      return t.length > 0
    })
  })

  it('exits cleanly on SIGTERM after writing what was pending', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const host = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(host)
    await sleep(1500)
    expect(await host.stop('SIGTERM')).toBe(0)
  })

  it('says plainly when its port is taken, instead of a stack trace', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const other = makeTempDir()
    dirs.push(other)
    const first = await spawnHost(['--data-dir', d.dir])
    hosts.push(first)
    const port = new URL(first.url).port
    await expect(spawnHost(['--port', port, '--data-dir', other.dir], 15_000)).rejects.toThrow(
      new RegExp(`exited with 1[\\s\\S]*Port ${port} on 127.0.0.1 is already in use`),
    )
  })

  it('refuses a data folder another running Vigil is using, without touching its log', async () => {
    const d = makeTempDir()
    dirs.push(d)
    hosts.push(await spawnHost(['--data-dir', d.dir]))
    // The running host's log has grown past the size at which a start sets it aside.
    const log = join(d.dir, 'logs', 'vigil.log')
    appendFileSync(log, 'x'.repeat(MAX_LOG_BYTES + 1))
    await expect(spawnHost(['--data-dir', d.dir], 15_000)).rejects.toThrow(
      /exited with 1[\s\S]*in use by another running Vigil/,
    )
    expect(existsSync(join(d.dir, 'logs', 'vigil.1.log'))).toBe(false)
    expect(statSync(log).size).toBeGreaterThan(MAX_LOG_BYTES)
  })

  it('vigil backup copies the history while the host keeps writing, and never overwrites', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const host = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(host)
    // The demo plant's history is written at start; back up once live samples follow it.
    const started = Date.now()
    await until('two live samples', async () => {
      return (await query(host, started, Date.now() + 1000)).length >= 2
    })
    const to = join(d.dir, 'copy.db')
    const first = await runVigil(['backup', '--data-dir', d.dir, '--to', to])
    expect(first.code).toBe(0)
    expect(first.output).toMatch(/Backup written to .*copy\.db .*integrity check: ok/)
    const copy = new Database(to, { readonly: true })
    const n = (copy.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n
    copy.close()
    expect(n).toBeGreaterThanOrEqual(8)
    const again = await runVigil(['backup', '--data-dir', d.dir, '--to', to])
    expect(again.code).toBe(1)
    expect(again.output).toMatch(/already exists/)
  })

  it('explains a bad command line and exits with code 2', async () => {
    await expect(spawnHost(['--port', 'nine'], 10_000)).rejects.toThrow(
      /exited with 2[\s\S]*--port must be a whole number/,
    )
  })
})
