import { existsSync } from 'node:fs'
import type { Sensor, SourceConfig, SourceHealth, SourceStatus } from '../../contract'
import type { Logger } from '../../log/logger'
import type { Clock, Timer } from '../../platform/clock'
import type { Sample } from '../sample'
import { explainPortError } from '../serial/port-errors'
import {
  openRealPort,
  type SerialPortFactory,
  type SerialPortLike,
} from '../serial/serial-port-factory'
import { RateMeter, type SampleSink, type Source } from '../source'
import { isWritable, ModbusBus } from './modbus-bus'
import { ModbusHealth } from './modbus-health'
import { describeRead, planReads, type PlannedRead } from './poll-plan'
import { modbusSensors } from './modbus-sensors'
import { readValues } from './read-values'

export { testModbusSource } from './test-modbus-source'

export type ModbusRtuConfig = Extract<SourceConfig, { kind: 'modbus-rtu' }>

export interface ModbusRtuDeps {
  clock: Clock
  log?: Logger
  openPort?: SerialPortFactory
  /** First and longest wait between reconnection attempts. */
  retryMs?: { first: number; max: number }
  /** How often the device node is looked for: an unplugged USB adapter often sends no close. */
  nodePollMs?: number
}

/**
 * A Modbus RTU master polling several slaves on one RS-485 line. Every `pollMs` it runs one
 * cycle of planned reads, one request on the wire at a time; a slow cycle delays the next
 * instead of overlapping it. A slave that does not answer is counted and skipped, so the
 * others keep delivering. A pulled cable is handled as SerialLineSource does: `reconnecting`,
 * retries with backoff, data again once the port is back, the silence left as a gap.
 * Throws ModbusConfigError when a register address is impossible.
 */
export class ModbusRtuSource implements Source {
  readonly kind = 'modbus-rtu'
  readonly id: string
  readonly name: string
  readonly outages: { from: number; to: number | null }[] = []
  private readonly plan: PlannedRead[]
  private readonly counters: ModbusHealth
  private readonly meter: RateMeter
  private readonly openPort: SerialPortFactory
  private readonly retry: { first: number; max: number }
  private readonly clock: Clock
  private port: SerialPortLike | null = null
  private bus: ModbusBus | null = null
  private sink: SampleSink | null = null
  private state: SourceStatus['state'] = 'stopped'
  private lastError: string | null = null
  private lastSampleAt: number | null = null
  private retryDelay: number
  private retryTimer: Timer | null = null
  private nodeTimer: Timer | null = null
  private cycleTimer: Timer | null = null

  constructor(
    private readonly config: ModbusRtuConfig,
    private readonly deps: ModbusRtuDeps,
  ) {
    this.id = config.id
    this.name = config.name
    this.clock = deps.clock
    this.plan = planReads(config.registers)
    this.counters = new ModbusHealth(config.registers.map((r) => r.slaveId))
    this.meter = new RateMeter(() => this.clock.now())
    this.openPort = deps.openPort ?? openRealPort
    this.retry = deps.retryMs ?? { first: 500, max: 10_000 }
    this.retryDelay = this.retry.first
  }

  sensors(): Sensor[] {
    return modbusSensors(this.config)
  }

  start(sink: SampleSink): void {
    if (this.sink) return
    this.sink = sink
    this.state = 'starting'
    this.connect()
    this.nodeTimer = this.clock.setInterval(() => this.watchNode(), this.deps.nodePollMs ?? 1000)
  }

  stop(): void {
    this.sink = null
    for (const t of [this.retryTimer, this.cycleTimer]) if (t) this.clock.clearTimeout(t)
    if (this.nodeTimer) this.clock.clearInterval(this.nodeTimer)
    this.retryTimer = this.cycleTimer = this.nodeTimer = null
    this.dropPort(new Error('source stopped'))
    this.state = 'stopped'
  }

  status(): SourceStatus {
    const { id, kind, name, state, lastSampleAt, lastError } = this
    return { id, kind, name, state, samplesPerS: this.meter.perSecond(), lastSampleAt, lastError }
  }

  /** Error counts by kind, the last few errors, per-slave counters and outages. */
  health(): SourceHealth {
    return this.counters.snapshot(this.id, this.outages)
  }

  private connect(): void {
    if (!this.sink) return
    const settings = this.config.serial
    const port = this.openPort(settings)
    this.port = port
    port.on('error', (err) => this.lost(port, err))
    port.on('close', (err) => this.lost(port, err ?? new Error('port closed')))
    if (!isWritable(port)) return this.lost(port, new Error('this port cannot send requests'))
    port.open((err) => {
      if (err) return this.lost(port, err)
      if (this.port !== port) return
      this.state = 'running'
      this.retryDelay = this.retry.first
      this.deps.log?.info(`${this.id}: ${settings.path} open`)
      const bus = new ModbusBus(port, {
        clock: this.clock,
        settings,
        timeoutMs: this.config.timeoutMs,
        retries: this.config.retries,
        onAttempt: (req, o) => this.counters.attempt(req, o, this.config.timeoutMs),
      })
      this.bus = bus
      void this.cycle(bus)
    })
  }

  /** One poll cycle; the next starts `pollMs` after this one started, or at once if late. */
  private async cycle(bus: ModbusBus): Promise<void> {
    this.cycleTimer = null
    const started = this.clock.now()
    for (const read of this.plan) {
      const outcome = await bus.request(read)
      if (this.bus !== bus || !this.sink) return
      if (outcome.kind === 'port' && this.port) return this.lost(this.port, outcome.error)
      const { samples, error } = readValues(read, outcome, this.clock.now(), this.counters)
      if (error) this.lastError = `${describeRead(read)}: ${error}`
      this.deliver(samples)
    }
    const wait = Math.max(0, started + this.config.pollMs - this.clock.now())
    this.cycleTimer = this.clock.setTimeout(() => void this.cycle(bus), wait)
  }

  private deliver(samples: Sample[]): void {
    if (samples.length === 0 || !this.sink) return
    const now = this.clock.now()
    const outage = this.outages[this.outages.length - 1]
    if (outage && outage.to === null) outage.to = now
    this.lastSampleAt = now
    this.meter.add(samples.length)
    this.sink(samples)
  }

  /** The port went away (or never came): record it once and try again later. */
  private lost(port: SerialPortLike, err: Error): void {
    if (this.port !== port || !this.sink) return
    this.lastError = explainPortError(err, this.config.serial.path)
    this.deps.log?.warn(`${this.id}: ${this.lastError}`)
    if (this.state === 'running') this.outages.push({ from: this.clock.now(), to: null })
    this.state = 'reconnecting'
    this.dropPort(err)
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, this.retryDelay)
    this.retryDelay = Math.min(this.retry.max, this.retryDelay * 2)
  }

  private watchNode(): void {
    // Device nodes are files on Linux and macOS; COM ports on Windows are not.
    const path = this.config.serial.path
    if (this.state === 'running' && this.port && path.startsWith('/') && !existsSync(path)) {
      this.lost(this.port, Object.assign(new Error('device node vanished'), { code: 'ENOENT' }))
    }
  }

  private dropPort(reason: Error): void {
    if (this.cycleTimer) this.clock.clearTimeout(this.cycleTimer)
    this.cycleTimer = null
    const bus = this.bus
    this.bus = null
    bus?.close(reason)
    const port = this.port
    this.port = null
    if (!port) return
    port.removeAllListeners()
    // Errors from closing a port that is already gone say nothing new.
    port.on('error', () => {})
    if (port.isOpen) port.close(() => {})
  }
}
