import { describe, expect, it } from 'vitest'
import { excerpt, LineErrorLog } from '../../../../../src/ingest/lines/line-errors'
import { lineFormatSchema } from '../../../../../src/contract'
import { parseLine, readNumber, readTimestamp } from '../../../../../src/ingest/lines/line-parser'

describe('readNumber', () => {
  it('reads plain, signed, decimal and exponent numbers', () => {
    for (const [text, value] of [
      ['42', 42],
      [' -3.5 ', -3.5],
      ['+.25', 0.25],
      ['1e3', 1000],
      ['7.', 7],
    ] as const) {
      expect(readNumber(text)).toEqual({ value })
    }
  })

  it('tells NaN and Infinity apart from text that is no number', () => {
    for (const t of ['NaN', 'inf', '-Infinity', '1e999'])
      expect(readNumber(t)).toEqual({ error: 'not-finite' })
    for (const t of ['', '1,5', '0x10', '12abc', 'true', '--1'])
      expect(readNumber(t)).toEqual({ error: 'non-numeric' })
    expect(readNumber(null)).toEqual({ error: 'non-numeric' })
    expect(readNumber(Number.NaN)).toEqual({ error: 'not-finite' })
  })
})

describe('readTimestamp', () => {
  it('reads epoch milliseconds, epoch seconds and ISO 8601', () => {
    expect(readTimestamp('1767225600000', 'epoch-ms')).toBe(1767225600000)
    expect(readTimestamp('1767225600.5', 'epoch-s')).toBe(1767225600500)
    expect(readTimestamp('2026-01-01T00:00:00Z', 'iso')).toBe(Date.UTC(2026, 0, 1))
  })

  it('refuses negative, absurd and unreadable times', () => {
    expect(readTimestamp('-5', 'epoch-ms')).toBeNull()
    expect(readTimestamp('1e20', 'epoch-ms')).toBeNull()
    expect(readTimestamp('yesterday', 'iso')).toBeNull()
    expect(readTimestamp('2026', 'iso')).toBeNull()
  })
})

describe('parseLine', () => {
  it("stamps host time unless the device gives its own, and SKAB's ';' separated rows read as CSV", () => {
    const errors = new LineErrorLog()
    const skab = lineFormatSchema.parse({
      kind: 'csv',
      delimiter: ';',
      columns: [{ index: 1, sensorId: 'acc1' }],
      timestamp: { index: 0, format: 'iso' },
    })
    expect(parseLine(skab, '2020-03-09T10:14:33;0.0267;0.0408', 5, errors)).toEqual([
      { sensorId: 'acc1', t: Date.parse('2020-03-09T10:14:33'), value: 0.0267 },
    ])
    const kv = lineFormatSchema.parse({ kind: 'kv', keys: { p: 'pressure' } })
    expect(parseLine(kv, 'p=4.2 other=1', 1234, errors)).toEqual([
      { sensorId: 'pressure', t: 1234, value: 4.2 },
    ])
    expect(errors.total).toBe(0)
  })

  it('ignores blank lines and keeps an excerpt of bad ones with control characters made visible', () => {
    const errors = new LineErrorLog(2)
    const kv = lineFormatSchema.parse({ kind: 'kv', keys: { p: 'p' } })
    expect(parseLine(kv, '   ', 0, errors)).toEqual([])
    parseLine(kv, 'p=\u0000\u0001', 0, errors)
    parseLine(kv, 'garbage', 0, errors)
    parseLine(kv, 'p=abc', 0, errors)
    expect(errors.counts).toMatchObject({ binary: 1, malformed: 1, 'non-numeric': 1 })
    expect(errors.recent().map((e) => e.kind)).toEqual(['malformed', 'non-numeric'])
    expect(excerpt('a\u0000b')).toBe('a·b')
  })
})
