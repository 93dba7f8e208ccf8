import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DB_FILE_NAME } from '../../src/historian/historian'
import { makeTempDir } from '../helpers/temp-dir'

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url))
const CHILD = fileURLToPath(new URL('../helpers/ingest-child.ts', import.meta.url))
const KILLS = 20
const SENSORS = 10

const tmp = makeTempDir()
afterAll(() => tmp.remove())

/** Starts the writer, waits until it says when its samples begin. */
function startWriter(dir: string): Promise<{ start: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, [RUN_TS, CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /ready (\d+)/.exec(out)
      if (m) {
        resolve({
          start: Number(m[1]),
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
  it(`a writer at 10,000 samples/s killed with SIGKILL ${KILLS} times: every reopen is intact and at most the last second is lost`, async () => {
    for (let run = 0; run < KILLS; run++) {
      const writer = await startWriter(tmp.dir)
      const runFor = 1200 + Math.floor(Math.random() * 1500)
      await sleep(runFor)
      const killedAt = Date.now()
      await writer.kill()

      const db = new Database(join(tmp.dir, DB_FILE_NAME))
      expect(db.pragma('integrity_check', { simple: true }), `run ${run}`).toBe('ok')
      const mustHave = killedAt - 1000
      const rows = db
        .prepare<[number, number], { sensor: number; n: number }>(
          'SELECT sensor, COUNT(*) AS n FROM samples WHERE t >= ? AND t < ? GROUP BY sensor',
        )
        .all(writer.start, mustHave)
      db.close()
      // Every millisecond of every sensor up to one second before the kill is on disk.
      expect(rows, `run ${run} (ran ${runFor} ms)`).toHaveLength(SENSORS)
      for (const r of rows)
        expect(r.n, `run ${run} (ran ${runFor} ms)`).toBe(mustHave - writer.start)
    }
  }, 180_000)
})
