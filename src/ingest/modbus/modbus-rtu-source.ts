import type { Sensor, SourceConfig, SourceHealth, SourceStatus } from '../../contract'
import type { Clock, Timer } from '../../platform/clock'
import type { Sample } from '../sample'
import { SerialLink, type SerialLinkOptions } from '../serial/serial-link'
import type { SerialPortLike } from '../serial/serial-port-factory'
import { RateMeter, type SampleSink, type Source } from '../source'
import { isWritable, ModbusBus } from './modbus-bus'
import { ModbusHealth } from './modbus-health'
import { modbusSensors } from './modbus-sensors'
import { describeRead, planReads, type PlannedRead } from './poll-plan'
import { readValues } from './read-values'

export { testModbusSource } from './test-modbus-source'

export type ModbusRtuConfig = Extract<SourceConfig, { kind: 'modbus-rtu' }>

/** What the master needs besides its configuration: the link's clock, log, port and retry pace. */
export interface ModbusRtuDeps extends Pick<
  SerialLinkOptions,
  'clock' | 'log' | 'openPort' | 'retryMs'
> {
  /** How often the device node is looked for (SerialLinkOptions.pollMs). */
  nodePollMs?: number
}

/**
 * A Modbus RTU master polling several slaves on one RS-485 line. Every `pollMs` it runs one
 * cycle of planned reads, one request on the wire at a time; a slow cycle delays the next
 * instead of overlapping it. A slave that does not answer is counted and skipped, so the
 * others keep delivering. A pulled cable is handled by the SerialLink: `reconnecting`,
 * retries with backoff, data again once the port is back, the silence left as a gap.
 * Throws ModbusConfigError when a register address is impossible.
 */
export class ModbusRtuSource implements Source {
  readonly kind = 'modbus-rtu'
  readonly id: string
  readonly name: string
  private readonly plan: PlannedRead[]
  private readonly counters: ModbusHealth
  private readonly meter: RateMeter
  private readonly clock: Clock
  private readonly link: SerialLink
  private bus: ModbusBus | null = null
  private sink: SampleSink | null = null
  private cycleError: string | null = null
  private lastSampleAt: number | null = null
  private cycleTimer: Timer | null = null

  constructor(
    private readonly config: ModbusRtuConfig,
    deps: ModbusRtuDeps,
  ) {
    this.id = config.id
    this.name = config.name
    this.clock = deps.clock
    this.plan = planReads(config.registers)
    this.counters = new ModbusHealth(config.registers.map((r) => r.slaveId))
    this.meter = new RateMeter(() => this.clock.now())
    this.link = new SerialLink({
      id: config.id,
      settings: config.serial,
      clock: deps.clock,
      log: deps.log,
      openPort: deps.openPort,
      retryMs: deps.retryMs,
      pollMs: deps.nodePollMs,
      opened: (port) => this.startBus(port),
      dropped: (reason) => this.stopBus(reason),
    })
  }

  /** Outages seen: when the link dropped and when data came back. */
  get outages(): readonly { from: number; to: number | null }[] {
    return this.link.outages
  }

  sensors(): Sensor[] {
    return modbusSensors(this.config)
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
      lastError: this.link.lastError ?? this.cycleError,
    }
  }

  /** Error counts by kind, the last few errors, per-slave counters and outages. */
  health(): SourceHealth {
    return this.counters.snapshot(this.id, [...this.link.outages])
  }

  private startBus(port: SerialPortLike): void {
    if (!isWritable(port)) return this.link.lost(port, new Error('this port cannot send requests'))
    const bus = new ModbusBus(port, {
      clock: this.clock,
      settings: this.config.serial,
      timeoutMs: this.config.timeoutMs,
      retries: this.config.retries,
      onAttempt: (req, o) => this.counters.attempt(req, o, this.config.timeoutMs),
    })
    this.bus = bus
    void this.cycle(bus, port)
  }

  private stopBus(reason: Error): void {
    if (this.cycleTimer) this.clock.clearTimeout(this.cycleTimer)
    this.cycleTimer = null
    this.bus?.close(reason)
    this.bus = null
  }

  /** One poll cycle; the next starts `pollMs` after this one started, or at once if late. */
  private async cycle(bus: ModbusBus, port: SerialPortLike): Promise<void> {
    this.cycleTimer = null
    const started = this.clock.now()
    for (const read of this.plan) {
      const outcome = await bus.request(read)
      if (this.bus !== bus || !this.sink) return
      if (outcome.kind === 'port') return this.link.lost(port, outcome.error)
      const { samples, error } = readValues(read, outcome, this.clock.now(), this.counters)
      if (error) this.cycleError = `${describeRead(read)}: ${error}`
      this.deliver(samples)
    }
    const wait = Math.max(0, started + this.config.pollMs - this.clock.now())
    this.cycleTimer = this.clock.setTimeout(() => void this.cycle(bus, port), wait)
  }

  private deliver(samples: Sample[]): void {
    if (samples.length === 0 || !this.sink) return
    const now = this.clock.now()
    this.link.delivered(now)
    this.lastSampleAt = now
    this.meter.add(samples.length)
    this.sink(samples)
  }
}
