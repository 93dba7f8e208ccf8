import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../../src/ingest/random'
import { LineErrorLog, type LineErrorKind } from '../../../../../src/ingest/lines/line-errors'
import { lineFormatSchema, type LineFormat } from '../../../../../src/contract'
import { parseLine } from '../../../../../src/ingest/lines/line-parser'
import { LineSplitter } from '../../../../../src/ingest/lines/line-splitter'

const LINES_PER_FORMAT = 34_000 // three formats: just over 100,000 lines
const MAX = 120
const T_HOST = Date.UTC(2026, 0, 1)

const formats: Record<string, LineFormat> = {
  csv: lineFormatSchema.parse({
    kind: 'csv',
    columns: [
      { index: 1, sensorId: 'p' },
      { index: 2, sensorId: 'q' },
    ],
    timestamp: { index: 0, format: 'epoch-ms' },
    maxLineLength: MAX,
  }),
  json: lineFormatSchema.parse({
    kind: 'json',
    fields: { p: 'p', q: 'q' },
    timestamp: { field: 'ts', format: 'iso' },
    maxLineLength: MAX,
  }),
  kv: lineFormatSchema.parse({ kind: 'kv', keys: { p: 'p', q: 'q' }, maxLineLength: MAX }),
}

type Expect = LineErrorKind | 'ok'
const KINDS: Expect[] = [
  'ok',
  'ok',
  'ok',
  'too-long',
  'binary',
  'malformed',
  'non-numeric',
  'not-finite',
  'bad-timestamp',
]

/** A line of the given format that must end up in the given class, with its two values. */
function makeLine(kind: string, want: Expect, rand: () => number): string {
  const num = () => ((rand() - 0.5) * 10 ** Math.floor(rand() * 6)).toFixed(Math.floor(rand() * 4))
  const bad =
    want === 'non-numeric'
      ? 'abc'.slice(0, 1 + Math.floor(rand() * 3)) + 'x'
      : want === 'not-finite'
        ? ['NaN', 'Infinity', '-inf'][Math.floor(rand() * 3)]
        : null
  const [p, q] = rand() < 0.5 ? [bad ?? num(), num()] : [num(), bad ?? num()]
  const ts = T_HOST + Math.floor(rand() * 1e9)
  let line: string
  if (kind === 'csv') {
    const t = want === 'bad-timestamp' ? 'soon' : String(ts)
    line = want === 'malformed' ? `${t},${p}` : `${t},${p},${q}`
  } else if (kind === 'json') {
    const t =
      want === 'bad-timestamp' ? '"last tuesday"' : JSON.stringify(new Date(ts).toISOString())
    const v = (x: string) => (bad !== null && x === bad ? JSON.stringify(x) : x)
    line = `{"ts":${t},"p":${v(p)},"q":${v(q)}}`
    if (want === 'malformed') line = line.slice(0, -1)
  } else {
    line = want === 'malformed' ? `p${p} q=${q}` : `p=${p} q=${q}`
    // key=value lines carry no device time: a broken one is a malformed pair.
    if (want === 'bad-timestamp') line = `p=${p} q`
  }
  if (want === 'too-long') line = line + ' '.repeat(MAX + 1 - line.length) + 'x'
  if (want === 'binary') {
    const at = Math.floor(rand() * line.length)
    const ctrl = String.fromCharCode([0, 1, 7, 8, 11, 12, 27, 127][Math.floor(rand() * 8)] ?? 0)
    line = line.slice(0, at) + ctrl + line.slice(at)
  }
  return line
}

describe('line parsers under fuzzing', () => {
  for (const [kind, format] of Object.entries(formats)) {
    it(`${kind}: ${LINES_PER_FORMAT} generated and mutated lines give exact error counts and only good values`, () => {
      const rand = seededRandom(kind.length * 7919)
      const expected: Record<string, number> = {}
      const errors = new LineErrorLog()
      let samples = 0
      for (let i = 0; i < LINES_PER_FORMAT; i++) {
        let want = KINDS[Math.floor(rand() * KINDS.length)] ?? 'ok'
        if (kind === 'kv' && want === 'bad-timestamp') want = 'malformed'
        const line = makeLine(kind, want, rand)
        expected[want] = (expected[want] ?? 0) + 1
        const out = parseLine(format, line, T_HOST, errors)
        for (const s of out) {
          expect(Number.isFinite(s.value)).toBe(true)
          expect(['p', 'q']).toContain(s.sensorId)
        }
        // A line with one bad value still delivers its good one.
        const good = want === 'ok' ? 2 : want === 'non-numeric' || want === 'not-finite' ? 1 : 0
        expect(out.length, `${want}: ${JSON.stringify(line)}`).toBe(good)
        samples += out.length
      }
      const { ok = 0, ...bad } = expected
      expect(errors.counts).toEqual({
        'too-long': bad['too-long'] ?? 0,
        binary: bad.binary ?? 0,
        malformed: bad.malformed ?? 0,
        'non-numeric': bad['non-numeric'] ?? 0,
        'not-finite': bad['not-finite'] ?? 0,
        'bad-timestamp': bad['bad-timestamp'] ?? 0,
      })
      expect(samples).toBe(2 * ok + (bad['non-numeric'] ?? 0) + (bad['not-finite'] ?? 0))
      expect(errors.recent().length).toBeLessThanOrEqual(10)
    })
  }

  it('random bytes never crash a parser and never yield a value that is not a finite number', () => {
    const rand = seededRandom(99)
    const errors = new LineErrorLog()
    for (let i = 0; i < 10_000; i++) {
      const bytes = Buffer.from(
        Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)),
      )
      const line = bytes.toString('utf8')
      for (const format of Object.values(formats)) {
        for (const s of parseLine(format, line, T_HOST, errors))
          expect(Number.isFinite(s.value)).toBe(true)
      }
    }
    expect(errors.total).toBeGreaterThan(25_000)
  })
})

describe('LineSplitter', () => {
  it('gives back the same lines however the stream is cut, multibyte text included', () => {
    const rand = seededRandom(5)
    const lines = Array.from(
      { length: 2000 },
      (_, i) => `温度=${i}.5 p=${(rand() * 100).toFixed(2)}`,
    )
    const stream = Buffer.from(lines.map((l, i) => l + (i % 3 ? '\n' : '\r\n')).join(''))
    const got: string[] = []
    const splitter = new LineSplitter(
      200,
      (l) => got.push(l),
      () => got.push('OVERFLOW'),
    )
    for (let at = 0; at < stream.length;) {
      const size = 1 + Math.floor(rand() * 64)
      splitter.push(stream.subarray(at, at + size))
      at += size
    }
    expect(got).toEqual(lines)
  })

  it('drops a line that grows past the limit, once, and carries on with the next', () => {
    const got: string[] = []
    const overflows: string[] = []
    const splitter = new LineSplitter(
      50,
      (l) => got.push(l),
      (s) => overflows.push(s),
    )
    splitter.push('a=1\n' + 'x'.repeat(40))
    splitter.push('y'.repeat(40))
    splitter.push('z'.repeat(1000))
    splitter.push('\nb=2\n')
    expect(got).toEqual(['a=1', 'b=2'])
    expect(overflows).toHaveLength(1)
  })
})
