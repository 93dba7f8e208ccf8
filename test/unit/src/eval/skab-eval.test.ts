import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseCliArgs, UsageError } from '../../../../src/cli/args'
import { evaluate } from '../../../../src/cli/eval'
import type { Detector } from '../../../../src/eval/skab-eval'
import { evaluateSkab } from '../../../../src/eval/skab-eval'
import { parseSkabCsv, type SkabFile } from '../../../../src/eval/skab-files'
import { skabCsv } from './skab-fixture'

/**
 * Flags a test row when its first sensor is far above the training rows' maximum; its operating
 * curve moves that margin.
 */
const stubDetector: Detector = {
  name: 'stub',
  async fitPredict(train, test) {
    let max = -Infinity
    for (let r = 0; r < train.rows; r++) max = Math.max(max, train.values[r * train.cols]!)
    const scores = new Float64Array(test.rows)
    for (let r = 0; r < test.rows; r++) scores[r] = test.values[r * test.cols]!
    const at = (threshold: number) => Uint8Array.from(scores, (v) => (v > threshold ? 1 : 0))
    const curve = [0.25, 1, 4].map((factor) => ({
      factor,
      threshold: max + factor,
      predictions: at(max + factor),
    }))
    return { scores, predictions: at(max + 1), curve, info: { threshold: max + 1 } }
  },
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function fixtureFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-eval-'))
  dirs.push(dir)
  mkdirSync(join(dir, 'valve1'))
  writeFileSync(join(dir, 'valve1', '0.csv'), skabCsv({ rows: 520, anomaly: [450, 490], seed: 1 }))
  writeFileSync(join(dir, 'valve1', '1.csv'), skabCsv({ rows: 500, anomaly: [430, 480], seed: 2 }))
  // A partly hidden anomaly: the stub catches only half of it.
  writeFileSync(
    join(dir, 'valve1', '2.csv'),
    skabCsv({ rows: 480, anomaly: [420, 460], shift: 1.05, seed: 3 }),
  )
  writeFileSync(join(dir, 'free.csv'), 'datetime;A\r\n2020-02-08 13:30:47;1\r\n')
  return dir
}

function file(text: string): SkabFile {
  const p = parseSkabCsv(text, 'f.csv')
  if (p.kind !== 'labelled') throw new Error('expected labels')
  return p.file
}

describe('SKAB evaluation', () => {
  it('trains on the first 400 rows and scores only the rest, with the all-anomalous baseline', async () => {
    const seen: number[][] = []
    const spy: Detector = {
      name: 'spy',
      async fitPredict(train, test) {
        seen.push([train.rows, test.rows])
        return stubDetector.fitPredict(train, test)
      },
    }
    const f = file(skabCsv({ rows: 500, anomaly: [420, 490] }))
    const e = await evaluateSkab([f], spy)
    expect(seen).toEqual([[400, 100]])
    expect(e.files[0]!.confusion).toEqual({ tp: 70, fp: 0, fn: 0, tn: 30 })
    expect(e.totals.f1).toBe(1)
    expect(e.totals.nabStandard).toBeCloseTo(100, 6)
    // Flagging every test row: TP 70, FP 30 → F1 = 70 / (70 + 15), FAR 100 %, NAB 0.
    expect(e.baseline.confusion).toEqual({ tp: 70, fp: 30, fn: 0, tn: 0 })
    expect(e.baseline.f1).toBeCloseTo(70 / 85, 12)
    expect(e.baseline.far).toBe(100)
    expect(e.baseline.nabStandard).toBe(0)
  })

  it('sums each threshold of the operating curve over the files', async () => {
    const files = [
      file(skabCsv({ rows: 500, anomaly: [420, 490], seed: 1 })),
      file(skabCsv({ rows: 480, anomaly: [430, 470], shift: 1.05, seed: 3 })),
    ]
    const e = await evaluateSkab(files, stubDetector)
    expect(e.curve.map((p) => p.factor)).toEqual([0.25, 1, 4])
    for (const [i, p] of e.curve.entries()) {
      const sum = (k: 'tp' | 'fp' | 'fn' | 'tn') =>
        e.files.reduce((n, f) => n + f.curve[i]!.scores.confusion[k], 0)
      expect(p.scores.confusion).toEqual({
        tp: sum('tp'),
        fp: sum('fp'),
        fn: sum('fn'),
        tn: sum('tn'),
      })
    }
    expect(e.curve[1]!.scores).toEqual(e.totals)
  })

  it('rejects a detector that returns the wrong number of predictions', async () => {
    const bad: Detector = {
      name: 'bad',
      fitPredict: async () => ({ scores: new Float64Array(1), predictions: new Uint8Array(1) }),
    }
    await expect(
      evaluateSkab([file(skabCsv({ rows: 420, anomaly: [410, 415] }))], bad),
    ).rejects.toThrow(/returned 1 predictions/)
  })
})

describe('vigil eval skab', () => {
  it('parses the command line', () => {
    expect(parseCliArgs(['eval', 'skab', '/d', '--json', 'out.json'])).toEqual({
      command: 'eval',
      benchmark: 'skab',
      dir: '/d',
      json: 'out.json',
      score: 'model',
    })
    expect(parseCliArgs(['eval', 'skab', 'd', '--score', 'second-sensor'])).toMatchObject({
      score: 'second-sensor',
    })
    expect(() => parseCliArgs(['eval', 'skab', 'd', '--score', 'max'])).toThrow(/--score must be/)
    expect(parseCliArgs(['eval', 'skab', 'd'])).toMatchObject({ json: null })
    expect(() => parseCliArgs(['eval'])).toThrow(/needs a benchmark/)
    expect(() => parseCliArgs(['eval', 'nab', 'd'])).toThrow(/Unknown benchmark "nab"/)
    expect(() => parseCliArgs(['eval', 'skab'])).toThrow(UsageError)
    expect(() => parseCliArgs(['eval', 'skab', 'd', 'e'])).toThrow(/Unexpected argument "e"/)
  })

  it('prints the table and writes JSON whose totals are the sums over files', async () => {
    const dir = fixtureFolder()
    const json = join(dir, 'out.json')
    let out = ''
    let err = ''
    await evaluate(
      { command: 'eval', benchmark: 'skab', dir, json, score: 'model' },
      {
        detector: stubDetector,
        io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t) },
      },
    )
    expect(out).toMatch(/valve1\/0\.csv/)
    expect(out).toMatch(/TOTAL/)
    expect(out).toMatch(/baseline/)
    expect(err).toMatch(/\[3\/3\] valve1\/2\.csv/)
    expect(err).toMatch(/skipping free\.csv/)

    const r = JSON.parse(readFileSync(json, 'utf8')) as {
      totals: Record<string, number>
      baseline: Record<string, number>
      files: Array<Record<string, number | string>>
    }
    for (const k of ['f1', 'far', 'mar', 'nabStandard', 'nabLowFP', 'nabLowFN']) {
      expect(typeof r.totals[k]).toBe('number')
    }
    expect(typeof r.baseline.f1).toBe('number')
    expect(r.files.map((f) => f.file)).toEqual(['valve1/0.csv', 'valve1/1.csv', 'valve1/2.csv'])
    for (const k of ['tp', 'fp', 'fn', 'tn']) {
      expect(r.totals[k]).toBe(r.files.reduce((s, f) => s + (f[k] as number), 0))
    }
    const { tp, fp, fn, tn } = r.totals as Record<string, number>
    expect(r.totals.f1).toBeCloseTo(tp! / (tp! + (fp! + fn!) / 2), 12)
    // The operating curve: printed, and in the JSON; its calibrated point is the totals.
    expect(out).toMatch(/Operating curve/)
    expect(out).toMatch(/1 x calibrated \*/)
    const curve = (r as unknown as { curve: Record<string, number>[] }).curve
    expect(curve.map((p) => p.factor)).toEqual([0.25, 1, 4])
    expect(curve[1]).toMatchObject({ f1: r.totals.f1, far: r.totals.far, mar: r.totals.mar })
    // A higher threshold never flags more: FAR falls and MAR rises along the curve.
    expect(curve[0]!.far).toBeGreaterThanOrEqual(curve[1]!.far!)
    expect(curve[2]!.mar).toBeGreaterThan(curve[1]!.mar!)
    expect(r.totals.far).toBeCloseTo((fp! / (fp! + tn!)) * 100, 12)
    expect(r.totals.mar).toBeCloseTo((fn! / (fn! + tp!)) * 100, 12)
    expect(r.totals.f1).toBeGreaterThan(0.5)
    expect(r.totals.f1).toBeLessThan(1)
  })

  it('explains a missing folder and a folder without SKAB files', async () => {
    const io = { stdout: () => {}, stderr: () => {} }
    const args = { command: 'eval', benchmark: 'skab', json: null, score: 'model' } as const
    await expect(
      evaluate({ ...args, dir: '/nonexistent/skab' }, { detector: stubDetector, io }),
    ).rejects.toThrow(/No such folder/)
    const empty = mkdtempSync(join(tmpdir(), 'vigil-eval-'))
    dirs.push(empty)
    await expect(evaluate({ ...args, dir: empty }, { detector: stubDetector, io })).rejects.toThrow(
      /No SKAB files/,
    )
  })
})
