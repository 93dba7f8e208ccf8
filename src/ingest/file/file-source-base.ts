import type { Channel, LineFormat, Sensor, SourceHealth, SourceStatus } from '../../contract'
import type { Logger } from '../../log/logger'
import type { Clock } from '../../platform/clock'
import type { Sample } from '../sample'
import { RateMeter, type SampleSink } from '../source'
import { errorCounts } from './channel-values'
import { FileLineReader } from './file-lines'

/** What every file source is built from. */
export interface FileSourceOptions {
  id: string
  name: string
  path: string
  format: LineFormat
  channels: readonly Channel[]
  sensors: Sensor[]
  clock: Clock
  log?: Logger
  /** The folders files may be read from, asked at every (re)open: an engineer may change them. */
  folders: () => readonly string[]
}

/** The bookkeeping the replay and tail sources share: status, rate, bad-input counts. */
export abstract class FileSourceBase {
  abstract readonly kind: string
  readonly id: string
  readonly name: string
  readonly reader: FileLineReader
  protected readonly meter: RateMeter
  protected sink: SampleSink | null = null
  protected state: SourceStatus['state'] = 'stopped'
  protected lastError: string | null = null
  protected lastSampleAt: number | null = null

  constructor(protected readonly base: FileSourceOptions) {
    this.id = base.id
    this.name = base.name
    this.reader = new FileLineReader(base.format, base.channels)
    this.meter = new RateMeter(() => base.clock.now())
  }

  sensors(): Sensor[] {
    return this.base.sensors
  }

  status(): SourceStatus {
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      state: this.state,
      samplesPerS: this.meter.perSecond(),
      lastSampleAt: this.lastSampleAt,
      lastError: this.lastError,
    }
  }

  /** Bad input by kind since the source was created. */
  errorCounts(): Record<string, number> {
    return errorCounts(this.reader.errors, this.reader.values)
  }

  /** Bad input for the Sources page; files have no slaves and no outages to report. */
  health(): SourceHealth {
    return {
      id: this.id,
      errorCounts: this.errorCounts(),
      recentErrors: [...this.reader.errors.recent(), ...this.reader.values.recent()],
      slaves: [],
      outages: [],
    }
  }

  protected deliver(samples: Sample[]): void {
    if (samples.length === 0 || !this.sink) return
    this.lastSampleAt = this.base.clock.now()
    this.meter.add(samples.length)
    this.sink(samples)
  }
}
