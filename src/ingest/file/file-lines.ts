import type { Channel, LineFormat } from '../../contract'
import { LineErrorLog } from '../lines/line-errors'
import { parseLine } from '../lines/line-parser'
import type { Sample } from '../sample'
import { ChannelValues } from './channel-values'

// `2020-03-09 10:14:33`: the date and time joined by a space, as SKAB and many loggers write
// it. `readTimestamp(…, 'iso')` wants the `T` of ISO 8601, so the first such stamp of a line is
// rewritten to `2020-03-09T10:14:33` before parsing. Like any ISO time without a zone, it is
// then read in the host's local time zone. Not done when the separator is a space itself: the
// stamp is then two fields anyway.
const SPACED_STAMP = /(^|[^\d])(\d{4}-\d\d-\d\d) (\d\d:\d\d)/

/** Rewrites a space-separated date and time into ISO form when the format reads ISO stamps. */
export function isoStampNormaliser(format: LineFormat): (line: string) => string {
  const ts = format.timestamp
  const spaceSplits =
    (format.kind === 'csv' && format.delimiter === ' ') ||
    (format.kind === 'kv' && format.pairSeparator === ' ')
  if (!ts || ts.format !== 'iso' || spaceSplits) return (line) => line
  return (line) => line.replace(SPACED_STAMP, '$1$2T$3')
}

/**
 * One text line of a file to checked, scaled samples: the shared parser, then the channels.
 * Bad input is counted in `errors` (parser) and `values` (range), never thrown.
 */
export class FileLineReader {
  readonly errors = new LineErrorLog()
  readonly values: ChannelValues
  private readonly normalise: (line: string) => string

  constructor(
    private readonly format: LineFormat,
    channels: readonly Channel[],
  ) {
    this.values = new ChannelValues(channels)
    this.normalise = isoStampNormaliser(format)
  }

  read(line: string, hostTime: number): Sample[] {
    const samples = parseLine(this.format, this.normalise(line), hostTime, this.errors)
    return samples.length ? this.values.apply(samples, line) : samples
  }

  /**
   * The first line of a file: a header row is expected there, so a line that yields nothing is
   * skipped without being counted as bad input.
   */
  readFirst(line: string, hostTime: number): Sample[] {
    const scratch = new LineErrorLog()
    const samples = parseLine(this.format, this.normalise(line), hostTime, scratch)
    if (samples.length === 0 && scratch.total > 0) return []
    // Not a header after all: read it again so its problems, if any, are counted.
    return this.read(line, hostTime)
  }
}
