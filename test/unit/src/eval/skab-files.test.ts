import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadSkabFolder, parseSkabCsv, SkabFormatError } from '../../../../src/eval/skab-files'
import { SKAB_SENSORS, skabCsv } from './skab-fixture'

const dirs: string[] = []
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigil-skab-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('SKAB reader', () => {
  it('parses a generated file: times, sensors, values and both label columns', () => {
    const parsed = parseSkabCsv(skabCsv({ rows: 30, anomaly: [10, 20] }), 'x.csv')
    if (parsed.kind !== 'labelled') throw new Error('expected labels')
    const f = parsed.file
    expect(f.sensors).toEqual(SKAB_SENSORS)
    expect(f.data.rows).toBe(30)
    expect(f.data.cols).toBe(8)
    expect(f.t[1]! - f.t[0]!).toBe(1000)
    expect(f.t[0]).toBe(Date.UTC(2020, 2, 9, 10, 14, 33))
    expect([...f.anomaly].reduce((a, b) => a + b, 0)).toBe(10)
    expect([...f.changepoint].flatMap((v, i) => (v ? [i] : []))).toEqual([10, 20])
    expect(f.data.values[10 * 8]).toBeGreaterThan(3) // shifted inside the anomaly
  })

  it('reads a real-looking row with CRLF and keeps an empty cell as missing', () => {
    const text = 'datetime;A;B;anomaly;changepoint\r\n2020-03-09 10:14:33;0.0265878;;0.0;0.0\r\n'
    const parsed = parseSkabCsv(text, 'y.csv')
    if (parsed.kind !== 'labelled') throw new Error('expected labels')
    expect(parsed.file.data.values[0]).toBeCloseTo(0.0265878, 6)
    expect(parsed.file.data.values[1]).toBeNaN()
  })

  it('explains what is wrong with a file that is not SKAB format', () => {
    expect(() => parseSkabCsv('time,a,b\n1,2,3\n', 'comma.csv')).toThrow(SkabFormatError)
    expect(() => parseSkabCsv('time,a,b\n1,2,3\n', 'comma.csv')).toThrow(/comma\.csv.*datetime/)
    const badNumber = 'datetime;A;anomaly;changepoint\r\n2020-03-09 10:14:33;abc;0.0;0.0\r\n'
    expect(() => parseSkabCsv(badNumber, 'n.csv')).toThrow(/n\.csv line 2: "A" is not a number/)
    const badLabel = 'datetime;A;anomaly;changepoint\r\n2020-03-09 10:14:33;1;0.5;0.0\r\n'
    expect(() => parseSkabCsv(badLabel, 'l.csv')).toThrow(/"anomaly" must be 0 or 1/)
    const short = 'datetime;A;anomaly;changepoint\r\n2020-03-09 10:14:33;1;0.0\r\n'
    expect(() => parseSkabCsv(short, 's.csv')).toThrow(/expected 4 fields/)
    const badTime = 'datetime;A;anomaly;changepoint\r\n09/03/2020;1;0.0;0.0\r\n'
    expect(() => parseSkabCsv(badTime, 't.csv')).toThrow(/not a date and time/)
    expect(() => parseSkabCsv('', 'e.csv')).toThrow(/empty/)
  })

  it('finds files recursively in natural order and skips unlabelled ones with a note', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'valve1'))
    mkdirSync(join(dir, 'anomaly-free'))
    for (const n of [10, 2, 1]) {
      writeFileSync(join(dir, 'valve1', `${n}.csv`), skabCsv({ rows: 20, anomaly: [5, 9] }))
    }
    writeFileSync(
      join(dir, 'anomaly-free', 'anomaly-free.csv'),
      'datetime;A;B\r\n2020-02-08 13:30:47;1;2\r\n',
    )
    writeFileSync(join(dir, 'notes.txt'), 'not a csv')
    const { files, skipped } = await loadSkabFolder(dir)
    expect(files.map((f) => f.name)).toEqual(['valve1/1.csv', 'valve1/2.csv', 'valve1/10.csv'])
    expect(skipped).toEqual([
      { name: 'anomaly-free/anomaly-free.csv', reason: expect.stringMatching(/unlabelled/) },
    ])
  })

  it('says so for a missing folder, an empty one and a malformed file', async () => {
    await expect(loadSkabFolder('/nonexistent/skab')).rejects.toThrow(/No such folder/)
    const empty = tempDir()
    await expect(loadSkabFolder(empty)).rejects.toThrow(/No SKAB files/)
    const bad = tempDir()
    writeFileSync(join(bad, 'x.csv'), 'a,b,c\n1,2,3\n')
    await expect(loadSkabFolder(bad)).rejects.toThrow(/x\.csv: not a SKAB file/)
  })
})
