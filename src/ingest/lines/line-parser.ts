import type { Sample } from '../sample'
import type { LineErrorKind, LineErrorLog } from './line-errors'
import type { LineFormat } from '../../contract'

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const NOT_FINITE = /^[+-]?(nan|inf|infinity)$/i
// Control characters other than tab, and U+FFFD (what undecodable bytes become).
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/

type ValueResult = { value: number } | { error: LineErrorKind }

/** A number written as text; NaN and Infinity are told apart from text that is no number. */
export function readNumber(raw: unknown): ValueResult {
  if (typeof raw === 'number')
    return Number.isFinite(raw) ? { value: raw } : { error: 'not-finite' }
  if (typeof raw !== 'string') return { error: 'non-numeric' }
  const s = raw.trim()
  if (NUMBER.test(s)) {
    const value = Number(s)
    return Number.isFinite(value) ? { value } : { error: 'not-finite' }
  }
  return NOT_FINITE.test(s) ? { error: 'not-finite' } : { error: 'non-numeric' }
}

/** A device time stamp in the configured form, or null when it cannot be read. */
export function readTimestamp(raw: unknown, format: 'epoch-ms' | 'epoch-s' | 'iso'): number | null {
  if (format === 'iso') {
    if (typeof raw !== 'string' || !/^\d{4}-\d\d-\d\dT/.test(raw.trim())) return null
    const t = Date.parse(raw.trim())
    return Number.isFinite(t) ? t : null
  }
  const n = readNumber(raw)
  if (!('value' in n) || n.value < 0) return null
  const t = format === 'epoch-s' ? n.value * 1000 : n.value
  return t <= 8.64e15 ? Math.round(t) : null
}

/** The raw values of one line by sensor, and its time stamp field, before they are checked. */
interface Fields {
  values: [sensorId: string, raw: unknown][]
  timestamp?: unknown
}

function splitCsv(format: Extract<LineFormat, { kind: 'csv' }>, line: string): Fields | null {
  const cells = line.split(format.delimiter)
  const needed = Math.max(...format.columns.map((c) => c.index), format.timestamp?.index ?? 0)
  if (cells.length <= needed) return null
  return {
    values: format.columns.map((c) => [c.sensorId, cells[c.index]]),
    timestamp: format.timestamp ? cells[format.timestamp.index] : undefined,
  }
}

function splitJson(format: Extract<LineFormat, { kind: 'json' }>, line: string): Fields | null {
  let obj: unknown
  try {
    obj = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null
  const record = obj as Record<string, unknown>
  return {
    values: Object.entries(format.fields)
      .filter(([field]) => Object.hasOwn(record, field))
      .map(([field, sensorId]) => [sensorId, record[field]]),
    timestamp: format.timestamp ? record[format.timestamp.field] : undefined,
  }
}

function splitKeyValue(format: Extract<LineFormat, { kind: 'kv' }>, line: string): Fields | null {
  const pairs = new Map<string, string>()
  for (const part of line.split(format.pairSeparator)) {
    if (part === '') continue
    const at = part.indexOf(format.keyValueSeparator)
    if (at <= 0) return null
    pairs.set(part.slice(0, at).trim(), part.slice(at + 1))
  }
  if (pairs.size === 0) return null
  return {
    values: Object.entries(format.keys)
      .filter(([key]) => pairs.has(key))
      .map(([key, sensorId]) => [sensorId, pairs.get(key)]),
    timestamp: format.timestamp ? pairs.get(format.timestamp.key) : undefined,
  }
}

/**
 * Reads one line into samples. A bad line or value is counted in `errors` (one count per line,
 * for its first problem) and never stored; good values of the same line are kept. Never throws.
 */
export function parseLine(
  format: LineFormat,
  line: string,
  hostTime: number,
  errors: LineErrorLog,
): Sample[] {
  if (line.length > format.maxLineLength) {
    errors.add('too-long', line)
    return []
  }
  if (BINARY.test(line)) {
    errors.add('binary', line)
    return []
  }
  const text = line.trim()
  if (text === '') return []
  const fields =
    format.kind === 'csv'
      ? splitCsv(format, text)
      : format.kind === 'json'
        ? splitJson(format, text)
        : splitKeyValue(format, text)
  if (!fields) {
    errors.add('malformed', line)
    return []
  }
  let t = hostTime
  if (format.timestamp) {
    const device = readTimestamp(fields.timestamp, format.timestamp.format)
    if (device === null) {
      errors.add('bad-timestamp', line)
      return []
    }
    t = device
  }
  const samples: Sample[] = []
  let problem: LineErrorKind | null = null
  for (const [sensorId, raw] of fields.values) {
    const r = readNumber(raw)
    if ('value' in r) samples.push({ sensorId, t, value: r.value })
    else problem ??= r.error
  }
  if (problem) errors.add(problem, line)
  return samples
}
