import type { FilePreview } from '@vigil/contract'
import {
  deriveId,
  emptyChannel,
  type CsvDelimiter,
  type PairSeparator,
  type SourceForm,
  type TimestampFormat,
} from './source-form'

const TIME_NAMES = /^(t|ts|time|timestamp|date|datetime)$/i

/**
 * Fills the format and channel rows from a file's first lines and the host's guess: a CSV
 * header names the columns (a time column becomes the timestamp), a JSON or key=value line
 * names its fields. Returns the lines to skip before the data (1 with a header).
 */
export function applyPreview(form: SourceForm, preview: FilePreview): number {
  const { guess } = preview
  form.format.kind = guess.kind
  if (guess.kind === 'csv' && isDelimiter(guess.delimiter)) form.format.delimiter = guess.delimiter
  if (guess.kind === 'kv' && isPairSeparator(guess.delimiter)) {
    form.format.pairSeparator = guess.delimiter
  }
  const names = columnNames(preview)
  const keys: string[] = []
  form.format.timestamp = false
  names.forEach((name, i) => {
    const key = guess.kind === 'csv' ? String(i) : name
    if (TIME_NAMES.test(name)) {
      form.format.timestamp = true
      form.format.timestampKey = key
      form.format.timestampFormat = guessTimeFormat(preview, guess.header ? 1 : 0, name, i)
    } else keys.push(key)
  })
  if (keys.length) {
    form.channels = keys.map((key) => {
      const name = guess.kind === 'csv' ? (names[Number(key)] ?? key) : key
      const row = emptyChannel(key)
      row.name = guess.header || guess.kind !== 'csv' ? name : `Column ${key}`
      row.id = [deriveId(form.id || form.name), deriveId(row.name)].filter(Boolean).join('.')
      return row
    })
  }
  return guess.header ? 1 : 0
}

function columnNames(preview: FilePreview): string[] {
  const { guess, lines } = preview
  const first = lines.find((l) => l.trim() !== '') ?? ''
  if (guess.kind === 'csv') {
    if (guess.header) return guess.header
    const count = guess.delimiter ? first.split(guess.delimiter).length : 1
    return Array.from({ length: count }, (_, i) => String(i))
  }
  if (guess.kind === 'json') {
    try {
      const value: unknown = JSON.parse(first)
      return value && typeof value === 'object' ? Object.keys(value) : []
    } catch {
      return []
    }
  }
  return first
    .split(guess.delimiter ?? ' ')
    .map((pair) => pair.split(/[=:]/)[0]?.trim() ?? '')
    .filter(Boolean)
}

function guessTimeFormat(
  preview: FilePreview,
  skip: number,
  name: string,
  index: number,
): TimestampFormat {
  const line = preview.lines[skip] ?? ''
  const sample =
    preview.guess.kind === 'csv'
      ? (line.split(preview.guess.delimiter ?? ',')[index] ?? '')
      : (new RegExp(`"?${name}"?\\s*[=:]\\s*"?([^",\\s}]+)`).exec(line)?.[1] ?? '')
  if (/^\d{12,}$/.test(sample.trim())) return 'epoch-ms'
  if (/^\d{9,11}(\.\d+)?$/.test(sample.trim())) return 'epoch-s'
  return 'iso'
}

const isDelimiter = (d: string | null): d is CsvDelimiter =>
  d === ',' || d === ';' || d === '\t' || d === ' '
const isPairSeparator = (d: string | null): d is PairSeparator =>
  d === ' ' || d === ',' || d === ';' || d === '&'
