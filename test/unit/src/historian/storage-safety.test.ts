import Database from 'better-sqlite3'
import {
  existsSync,
  openSync,
  readdirSync,
  statSync,
  writeSync,
  closeSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_FILE_NAME, Historian } from '../../../../src/historian/historian'
import { testSensor } from '../../../helpers/historian-fixtures'
import { makeTempDir } from '../../../helpers/temp-dir'

const T0 = Date.UTC(2026, 0, 1)
const now = () => T0 + 86_400_000

const dirs: ReturnType<typeof makeTempDir>[] = []
const open: Historian[] = []
afterEach(() => {
  for (const h of open.splice(0)) h.close()
  for (const d of dirs.splice(0)) d.remove()
})

function historianWithData(samples = 60_000): { dir: string; h: Historian } {
  const tmp = makeTempDir()
  dirs.push(tmp)
  const h = new Historian(tmp.dir, { now })
  open.push(h)
  h.registerSensors([testSensor('a'), testSensor('b')])
  const t = Array.from({ length: samples }, (_, i) => T0 + Math.floor(i / 2) * 1000)
  h.bulkInsert([
    {
      sensorIds: t.map((_, i) => (i % 2 ? 'b' : 'a')),
      t,
      values: t.map((_, i) => Math.sin(i / 100)),
    },
  ])
  return { dir: tmp.dir, h }
}

/** A data folder whose database has pages scribbled over, as a failing disk might leave it. */
function damagedDataDir(): string {
  const { dir, h } = historianWithData()
  h.close()
  const file = join(dir, DB_FILE_NAME)
  const middle = Math.floor(statSync(file).size / 2 / 4096) * 4096
  const fd = openSync(file, 'r+')
  writeSync(fd, Buffer.alloc(4096 * 6, 0xa5), 0, 4096 * 6, middle)
  closeSync(fd)
  return dir
}

describe('a damaged database file', () => {
  it('is detected at start-up, moved aside with a timestamp, and a new one started', () => {
    const dir = damagedDataDir()

    const fresh = new Historian(dir, { now })
    open.push(fresh)
    expect(fresh.recovery).not.toBeNull()
    expect(fresh.recovery?.movedTo).toMatch(/vigil\.db\.corrupt-\d{4}-\d\d-\d\dT/)
    expect(existsSync(fresh.recovery?.movedTo ?? '')).toBe(true)
    expect(fresh.info().recovery).toEqual(fresh.recovery)
    // The new database works and starts empty.
    fresh.registerSensors([testSensor('a')])
    expect(fresh.writeBatch({ sensorIds: ['a'], t: [T0], values: [1] })).toBe(1)
    expect(fresh.info().levels.find((l) => l.level === 'raw')?.rows).toBe(1)
  })

  it('too large to check before start-up, is checked in the background and set aside at the next start', async () => {
    const dir = damagedDataDir()

    const running = new Historian(dir, { now, syncCheckMaxBytes: 0 })
    open.push(running)
    expect(running.info().integrity.state).toBe('checking')
    expect(running.recovery).toBeNull()
    const result = await running.integrityChecked
    expect(result.state).toBe('damaged')
    expect(running.info().integrity).toEqual(result)
    running.close()

    const next = new Historian(dir, { now })
    open.push(next)
    expect(next.recovery?.movedTo).toMatch(/\.corrupt-/)
    expect(next.info().integrity.state).toBe('ok')
  })

  it('a healthy large file passes the background check', async () => {
    const { dir, h } = historianWithData(1000)
    h.close()
    const again = new Historian(dir, { now, syncCheckMaxBytes: 0 })
    open.push(again)
    expect((await again.integrityChecked).state).toBe('ok')
  })

  it('that is not a database at all is set aside too', () => {
    const tmp = makeTempDir()
    dirs.push(tmp)
    writeFileSync(join(tmp.dir, DB_FILE_NAME), Buffer.alloc(100_000, 0x42))
    const h = new Historian(tmp.dir, { now })
    open.push(h)
    expect(h.recovery?.reason).toMatch(/not a database|malformed|integrity/i)
    expect(readdirSync(tmp.dir).some((f) => f.includes('.corrupt-'))).toBe(true)
  })
})

describe('backups', () => {
  it('writes a consistent, integrity-checked copy while the database is in use', async () => {
    const { dir, h } = historianWithData()
    const pending = h.backup()
    // Writes keep working while the backup runs.
    h.writeBatch({ sensorIds: ['a'], t: [T0 + 99_999_000], values: [42] })
    const result = await pending
    expect(result.integrity).toBe('ok')
    expect(result.file.startsWith(join(dir, 'backups', 'vigil-'))).toBe(true)
    expect(result.bytes).toBe(statSync(result.file).size)
    const copy = new Database(result.file, { readonly: true })
    const n = (copy.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number }).n
    copy.close()
    expect(n).toBeGreaterThanOrEqual(60_000)
    expect(h.info().lastBackup).toEqual(result)
    // The Storage page still shows it after a restart.
    h.close()
    const reopened = new Historian(dir, { now })
    open.push(reopened)
    expect(reopened.info().lastBackup).toEqual(result)
  })

  it('refuses to overwrite an existing file', async () => {
    const { dir, h } = historianWithData(10)
    writeFileSync(join(dir, 'taken.db'), 'x')
    await expect(h.backup(join(dir, 'taken.db'))).rejects.toThrow(/already exists/)
  })
})

describe('upgrading a database from before the rollups', () => {
  it('migrates it in place and rebuilds the rollups from its raw samples', () => {
    const tmp = makeTempDir()
    dirs.push(tmp)
    const db = new Database(join(tmp.dir, DB_FILE_NAME))
    db.exec(`CREATE TABLE sensors (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, meta TEXT NOT NULL);
      CREATE TABLE samples (sensor INTEGER NOT NULL, t INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (sensor, t)) WITHOUT ROWID;`)
    db.prepare('INSERT INTO sensors (id, key, meta) VALUES (1, ?, ?)').run(
      'a',
      JSON.stringify(testSensor('a')),
    )
    const insert = db.prepare('INSERT INTO samples VALUES (1, ?, ?)')
    db.transaction(() => {
      for (let i = 0; i < 7200; i++) insert.run(T0 + i * 1000, i)
    })()
    db.pragma('user_version = 1')
    db.close()

    const h = new Historian(tmp.dir, { now })
    open.push(h)
    const levels = Object.fromEntries(h.info().levels.map((l) => [l.level, l.rows]))
    expect(levels).toEqual({ raw: 7200, '1m': 120, '1h': 2 })
    const s = h.querySeries({ sensorIds: ['a'], from: T0, to: T0 + 7_200_000, maxPoints: 4 })
      .series[0]
    expect(s?.v).toEqual([0, 3599, 3600, 7199])
  })
})
