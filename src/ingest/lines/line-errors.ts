/** Why a line (or one value in it) was not stored. Counted per source, never a crash. */
export type LineErrorKind =
  | 'too-long' // longer than the format's limit
  | 'binary' // control characters or invalid text: line noise, wrong baud rate
  | 'malformed' // not in the configured shape (missing columns, not JSON, no pairs)
  | 'non-numeric' // a value that is not a number
  | 'not-finite' // NaN or Infinity
  | 'bad-timestamp' // the device's time stamp cannot be read

export interface LineError {
  kind: LineErrorKind
  /** The start of the offending line, for the Sources page. */
  excerpt: string
}

/** Per-kind error counts, plus the last few errors for a person to look at. */
export class LineErrorLog {
  readonly counts: Record<LineErrorKind, number> = {
    'too-long': 0,
    binary: 0,
    malformed: 0,
    'non-numeric': 0,
    'not-finite': 0,
    'bad-timestamp': 0,
  }
  private readonly recentErrors: LineError[] = []

  constructor(private readonly keep = 10) {}

  add(kind: LineErrorKind, line: string): void {
    this.counts[kind]++
    this.recentErrors.push({ kind, excerpt: excerpt(line) })
    if (this.recentErrors.length > this.keep) this.recentErrors.shift()
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0)
  }

  recent(): LineError[] {
    return [...this.recentErrors]
  }
}

/** A short, printable start of a line: control characters shown as `·`. */
export function excerpt(line: string, max = 80): string {
  const cut = line.length > max ? `${line.slice(0, max)}…` : line
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '·')
}
