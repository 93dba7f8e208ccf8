import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DB_FILE_NAME } from '../../src/historian/historian'
import { makeTempDir } from '../helpers/temp-dir'
import { until } from '../helpers/until'

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url))
const CHILD = fileURLToPath(new URL('../helpers/ingest-child.ts', import.meta.url))
const KILLS = 20
const SENSORS = 10

const tmp = makeTempDir()
afterAll(() => tmp.remove())

interface Writer {
  start: number
  /** The newest time stamp the writer reported as committed. */
  committed: () => number
  commits: () => number
  kill: () => Promise<void>
}

/** Starts the writer, waits until it says when its samples begin. */
function startWriter(dir: string): Promise<Writer> {
  const child = spawn(process.execPath, [RUN_TS, CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let committed = -1
  let commits = 0
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      for (const m of out.matchAll(/committed (\d+)\n/g)) {
        committed = Math.max(committed, Number(m[1]))
        commits++
      }
      out = out.replace(/committed \d+\n/g, '')
      const ready = /ready (\d+)/.exec(out)
      if (ready) {
        out = out.replace(ready[0], '')
        resolve({
          start: Number(ready[1]),
          committed: () => committed,
          commits: () => commits,
          kill: () =>
            new Promise((done) => {
              child.once('exit', () => done())
              child.kill('SIGKILL')
            }),
        })
      }
    })
    child.once('exit', (code) => reject(new Error(`writer exited early (${code}): ${out}`)))
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('crash safety', () => {
  it(`a writer at 10,000 samples/s killed with SIGKILL ${KILLS} times: every reopen is intact, nothing committed is lost, nothing is duplicated`, async () => {
    for (let run = 0; run < KILLS; run++) {
      const writer = await startWriter(tmp.dir)
      // Kill at a random moment after a random number of commits (1 to 6).
      const commitsBefore = 1 + Math.floor(Math.random() * 6)
      await until('the writer to commit', () => writer.commits() >= commitsBefore, 60_000)
      await sleep(Math.floor(Math.random() * 250))
      const acknowledged = writer.committed()
      await writer.kill()

      const db = new Database(join(tmp.dir, DB_FILE_NAME))
      expect(db.pragma('integrity_check', { simple: true }), `run ${run}`).toBe('ok')
      const rows = db
        .prepare<[number], { sensor: number; n: number; first: number; last: number }>(
          `SELECT sensor, COUNT(*) AS n, MIN(t) AS first, MAX(t) AS last
           FROM samples WHERE t >= ? GROUP BY sensor`,
        )
        .all(writer.start)
      db.close()
      expect(rows, `run ${run}`).toHaveLength(SENSORS)
      for (const r of rows) {
        // Every sample the writer was told is committed is on disk, once...
        expect(r.first, `run ${run}`).toBe(writer.start)
        expect(r.last, `run ${run}`).toBeGreaterThanOrEqual(acknowledged)
        // ...and what is there is one unbroken run: no hole, no duplicate.
        expect(r.n, `run ${run}`).toBe(r.last - r.first + 1)
      }
    }
  }, 300_000)
})
