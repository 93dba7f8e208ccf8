import { existsSync } from 'node:fs'
import type { Channel, Sensor, SourceHealth, SourceStatus } from '../../contract'
import { ChannelValues } from '../file/channel-values'
import type { Logger } from '../../log/logger'
import type { Clock, Timer } from '../../platform/clock'
import { LineErrorLog } from '../lines/line-errors'
import type { LineFormat } from '../../contract'
import { parseLine } from '../lines/line-parser'
import { LineSplitter } from '../lines/line-splitter'
import { HostStamp } from '../host-stamp'
import { RateMeter, type SampleSink, type Source } from '../source'
import { explainPortError } from './port-errors'
import {
  openRealPort,
  type SerialPortFactory,
  type SerialPortLike,
  type SerialSettings,
} from './serial-port-factory'

export interface SerialLineSourceOptions {
  id: string
  name: string
  settings: SerialSettings
  format: LineFormat
  sensors: Sensor[]
  /** Scale, offset and expected range per channel; without it, values are stored as read. */
  channels?: readonly Channel[]
  clock: Clock
  log?: Logger
  openPort?: SerialPortFactory
  /** First and longest wait between reconnection attempts. */
  retryMs?: { first: number; max: number }
  /** How often the device node is looked for: an unplugged USB adapter often sends no close. */
  pollMs?: number
}

/**
 * A device that writes text lines (CSV, JSON or key=value) on a serial port. Survives the
 * plant: a pulled cable or vanished adapter is noticed (error, close, or the device node
 * disappearing), the source reports `reconnecting` and retries with backoff, and data flows
 * again as soon as the device is back. The silence stays a gap; nothing is filled in.
 */
export class SerialLineSource implements Source {
  readonly kind = 'serial-lines'
  readonly id: string
  readonly name: string
  readonly errors = new LineErrorLog()
  private readonly stamp = new HostStamp()
  private readonly channelValues: ChannelValues | null
  private readonly meter: RateMeter
  private readonly openPort: SerialPortFactory
  private readonly retry: { first: number; max: number }
  private port: SerialPortLike | null = null
  private sink: SampleSink | null = null
  private state: SourceStatus['state'] = 'stopped'
  private lastError: string | null = null
  private lastSampleAt: number | null = null
  private retryDelay: number
  private retryTimer: Timer | null = null
  private pollTimer: Timer | null = null
  /** Outages seen: when the link dropped and when data came back. */
  readonly outages: { from: number; to: number | null }[] = []

  constructor(private readonly opts: SerialLineSourceOptions) {
    this.id = opts.id
    this.name = opts.name
    this.meter = new RateMeter(() => opts.clock.now())
    this.openPort = opts.openPort ?? openRealPort
    this.retry = opts.retryMs ?? { first: 500, max: 10_000 }
    this.retryDelay = this.retry.first
    this.channelValues = opts.channels ? new ChannelValues(opts.channels) : null
  }

  sensors(): Sensor[] {
    return this.opts.sensors
  }

  start(sink: SampleSink): void {
    if (this.sink) return
    this.sink = sink
    this.state = 'starting'
    this.connect()
    this.pollTimer = this.opts.clock.setInterval(() => this.poll(), this.opts.pollMs ?? 1000)
  }

  stop(): void {
    this.sink = null
    if (this.retryTimer) this.opts.clock.clearTimeout(this.retryTimer)
    if (this.pollTimer) this.opts.clock.clearInterval(this.pollTimer)
    this.retryTimer = this.pollTimer = null
    this.dropPort()
    this.state = 'stopped'
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

  health(): SourceHealth {
    return {
      id: this.id,
      errorCounts: { ...this.errors.counts, 'out-of-range': this.channelValues?.outOfRange ?? 0 },
      recentErrors: [...this.errors.recent(), ...(this.channelValues?.recent() ?? [])],
      slaves: [],
      outages: this.outages.map((o) => ({ ...o })),
    }
  }

  private connect(): void {
    if (!this.sink) return
    const { settings, format } = this.opts
    const port = this.openPort(settings)
    this.port = port
    const splitter = new LineSplitter(
      format.maxLineLength,
      (line) => this.onLine(line),
      (start) => this.errors.add('too-long', start),
    )
    port.on('data', (chunk) => splitter.push(chunk))
    port.on('error', (err) => this.lost(port, err))
    port.on('close', (err) => this.lost(port, err ?? new Error('port closed')))
    port.open((err) => {
      if (err) return this.lost(port, err)
      if (this.port !== port) return
      this.state = 'running'
      this.retryDelay = this.retry.first
      this.opts.log?.info(`${this.id}: ${settings.path} open`)
    })
  }

  private onLine(line: string): void {
    const now = this.opts.clock.now()
    const parsed = parseLine(this.opts.format, line, this.stamp.next(now), this.errors)
    const samples = this.channelValues ? this.channelValues.apply(parsed, line) : parsed
    if (samples.length === 0 || !this.sink) return
    const outage = this.outages[this.outages.length - 1]
    if (outage && outage.to === null) outage.to = now
    this.lastSampleAt = now
    this.meter.add(samples.length)
    this.sink(samples)
  }

  /** The device went away (or never came): record it once and try again later. */
  private lost(port: SerialPortLike, err: Error): void {
    if (this.port !== port || !this.sink) return
    this.lastError = explainPortError(err, this.opts.settings.path)
    this.opts.log?.warn(`${this.id}: ${this.lastError}`)
    if (this.state === 'running') this.outages.push({ from: this.opts.clock.now(), to: null })
    this.state = 'reconnecting'
    this.dropPort()
    this.retryTimer = this.opts.clock.setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, this.retryDelay)
    this.retryDelay = Math.min(this.retry.max, this.retryDelay * 2)
  }

  private poll(): void {
    // Device nodes are files on Linux and macOS; COM ports on Windows are not.
    const path = this.opts.settings.path
    if (this.state === 'running' && this.port && path.startsWith('/') && !existsSync(path)) {
      this.lost(this.port, Object.assign(new Error('device node vanished'), { code: 'ENOENT' }))
    }
  }

  private dropPort(): void {
    const port = this.port
    this.port = null
    if (!port) return
    port.removeAllListeners()
    // Errors from closing a port that is already gone say nothing new.
    port.on('error', () => {})
    if (port.isOpen) port.close(() => {})
  }
}
