import type { Channel, LineFormat, Sensor, SourceHealth, SourceStatus } from '../../contract'
import { ChannelValues } from '../file/channel-values'
import { HostStamp } from '../host-stamp'
import { LineErrorLog } from '../lines/line-errors'
import { parseLine } from '../lines/line-parser'
import { LineSplitter } from '../lines/line-splitter'
import { RateMeter, type SampleSink, type Source } from '../source'
import { SerialLink, type SerialLinkOptions } from './serial-link'

/** The link's settings (port, clock, reconnection) plus what the lines mean. */
export interface SerialLineSourceOptions extends Omit<
  SerialLinkOptions,
  'attach' | 'opened' | 'dropped'
> {
  name: string
  format: LineFormat
  sensors: Sensor[]
  /** Scale, offset and expected range per channel; without it, values are stored as read. */
  channels?: readonly Channel[]
}

/**
 * A device that writes text lines (CSV, JSON or key=value) on a serial port, on a link that
 * survives pulled cables (see SerialLink). Bad lines and values are counted, never stored.
 */
export class SerialLineSource implements Source {
  readonly kind = 'serial-lines'
  readonly id: string
  readonly name: string
  readonly errors = new LineErrorLog()
  private readonly stamp = new HostStamp()
  private readonly channelValues: ChannelValues | null
  private readonly meter: RateMeter
  private readonly link: SerialLink
  private sink: SampleSink | null = null
  private lastSampleAt: number | null = null

  constructor(private readonly opts: SerialLineSourceOptions) {
    this.id = opts.id
    this.name = opts.name
    this.meter = new RateMeter(() => opts.clock.now())
    this.channelValues = opts.channels ? new ChannelValues(opts.channels) : null
    this.link = new SerialLink({
      ...opts,
      attach: (port) => {
        const splitter = new LineSplitter(
          opts.format.maxLineLength,
          (line) => this.onLine(line),
          (start) => this.errors.add('too-long', start),
        )
        port.on('data', (chunk) => splitter.push(chunk))
      },
    })
  }

  /** Outages seen: when the link dropped and when data came back. */
  get outages(): readonly { from: number; to: number | null }[] {
    return this.link.outages
  }

  sensors(): Sensor[] {
    return this.opts.sensors
  }

  start(sink: SampleSink): void {
    if (this.sink) return
    this.sink = sink
    this.link.start()
  }

  stop(): void {
    this.sink = null
    this.link.stop()
  }

  status(): SourceStatus {
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      state: this.link.state,
      samplesPerS: this.meter.perSecond(),
      lastSampleAt: this.lastSampleAt,
      lastError: this.link.lastError,
    }
  }

  health(): SourceHealth {
    return {
      id: this.id,
      errorCounts: { ...this.errors.counts, 'out-of-range': this.channelValues?.outOfRange ?? 0 },
      recentErrors: [...this.errors.recent(), ...(this.channelValues?.recent() ?? [])],
      slaves: [],
      outages: this.link.outages.map((o) => ({ ...o })),
    }
  }

  private onLine(line: string): void {
    const now = this.opts.clock.now()
    const parsed = parseLine(this.opts.format, line, this.stamp.next(now), this.errors)
    const samples = this.channelValues ? this.channelValues.apply(parsed, line) : parsed
    if (samples.length === 0 || !this.sink) return
    this.link.delivered(now)
    this.lastSampleAt = now
    this.meter.add(samples.length)
    this.sink(samples)
  }
}
