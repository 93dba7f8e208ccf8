import type { FilePreview } from '../../contract'

type Guess = FilePreview['guess']

/** Candidates in order of preference when two split the lines equally well. */
const DELIMITERS = [',', ';', '\t', ' '] as const
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const KV_PAIR = /^[A-Za-z_][\w.-]*[=:]\S*$/

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1')

function looksJson(lines: readonly string[]): boolean {
  return lines.every((l) => {
    try {
      const v: unknown = JSON.parse(l)
      return typeof v === 'object' && v !== null && !Array.isArray(v)
    } catch {
      return false
    }
  })
}

// Every space-, comma-, semicolon- or ampersand-separated token is `key=value` or `key:value`.
// A time like `10:14:33` is no pair (its key would be digits), so CSV with times stays CSV.
function looksKeyValue(lines: readonly string[]): boolean {
  return lines.every((l) => {
    const parts = l.split(/[ ,;&]+/).filter((p) => p !== '')
    return parts.length > 0 && parts.every((p) => KV_PAIR.test(p))
  })
}

/** How evenly `delimiter` splits the lines: the share of lines with the most common count. */
function splitScore(
  lines: readonly string[],
  delimiter: string,
): { share: number; fields: number } {
  const counts = new Map<number, number>()
  for (const l of lines) {
    const n = l.split(delimiter).length
    counts.set(n, (counts.get(n) ?? 0) + 1)
  }
  let fields = 1
  let most = 0
  for (const [n, c] of counts) if (c > most || (c === most && n > fields)) [fields, most] = [n, c]
  return { share: fields > 1 ? most / lines.length : 0, fields }
}

/** The delimiter that splits the lines into the same number of fields most consistently. */
export function guessDelimiter(lines: readonly string[]): string | null {
  let best: { d: string; share: number; fields: number } | null = null
  for (const d of DELIMITERS) {
    const s = splitScore(lines, d)
    if (s.share === 0) continue
    // A higher share wins; at equal share the one giving more fields (SKAB's `;` beats the
    // space inside its `2020-03-09 10:14:33` stamps).
    if (!best || s.share > best.share || (s.share === best.share && s.fields > best.fields))
      best = { d, ...s }
  }
  return best?.d ?? null
}

/**
 * A header row: the first line has no number in it while a later line has one. (A timestamp
 * column alone does not make a data row a header: its other fields are numbers.)
 */
function guessHeader(lines: readonly string[], delimiter: string | null): string[] | null {
  const [first, ...rest] = lines
  if (first === undefined || rest.length === 0) return null
  const fields = (l: string) => (delimiter ? l.split(delimiter) : [l]).map(unquote)
  const numeric = (l: string) => fields(l).some((f) => NUMBER.test(f))
  return !numeric(first) && rest.some(numeric) ? fields(first) : null
}

/** Guesses a file's line format from its first lines (blank lines ignored). */
export function guessFormat(sample: readonly string[]): Guess {
  const lines = sample.map((l) => l.trim()).filter((l) => l !== '')
  if (lines.length === 0) return { kind: 'csv', delimiter: null, header: null }
  if (looksJson(lines)) return { kind: 'json', delimiter: null, header: null }
  if (looksKeyValue(lines)) return { kind: 'kv', delimiter: null, header: null }
  // A header splits differently from the data (SKAB's has spaces in names): judge by the data.
  const data = lines.length > 2 ? lines.slice(1) : lines
  const delimiter = guessDelimiter(data)
  return { kind: 'csv', delimiter, header: guessHeader(lines, delimiter) }
}
