import type { Sensor, SourceConfig, SourceHealth, SourceStatus } from '../../contract'
import type { Clock, Timer } from '../../platform/clock'
import type { Monotonic } from '../../platform/monotonic'
import type { Sample } from '../sample'
import { SerialLink, type SerialLinkOptions } from '../serial/serial-link'
import type { SerialPortLike } from '../serial/serial-port-factory'
import { RateMeter, type SampleSink, type Source } from '../source'
import { isWritable, ModbusBus } from './modbus-bus'
import { ModbusHealth } from './modbus-health'
import { ModbusPoller } from './modbus-poller'
import { modbusSensors } from './modbus-sensors'

export { testModbusSource } from './test-modbus-source'

export type ModbusRtuConfig = Extract<SourceConfig, { kind: 'modbus-rtu' }>

/** What the master needs besides its configuration: the link's clock, log, port and retry pace. */
export interface ModbusRtuDeps extends Pick<
  SerialLinkOptions,
  'clock' | 'log' | 'openPort' | 'retryMs'
> {
  /** How often the device node is looked for (SerialLinkOptions.pollMs). */
  nodePollMs?: number
  /** Times the silence between frames (performance.now() unless a test fakes it). */
  mono?: Monotonic
}

/**
 * A Modbus RTU master polling several slaves on one RS-485 line. Every `pollMs` it runs one
 * cycle of planned reads (ModbusPoller), one request on the wire at a time; a slow cycle delays
 * the next instead of overlapping it. A slave that stops answering is set aside and probed
 * slowly, so the others keep their rate; its sensors are listed as "no answer". A pulled cable
 * is handled by the SerialLink: `reconnecting`, retries with backoff, data again once the port
 * is back, the silence left as a gap. A line on which no slave answers is recorded the same way
 * (an outage, state `error`) while the port stays open. Throws ModbusConfigError when a
 * register address is impossible.
 */
export class ModbusRtuSource implements Source {
  readonly kind = 'modbus-rtu'
  readonly id: string
  readonly name: string
  private readonly poller: ModbusPoller
  private readonly counters: ModbusHealth
  private readonly meter: RateMeter
  private readonly clock: Clock
  private readonly link: SerialLink
  private bus: ModbusBus | null = null
  private sink: SampleSink | null = null
  private lastSampleAt: number | null = null
  private cycleTimer: Timer | null = null
  /** When the next cycle is due (on the pollMs grid). */
  private nextCycleAt = 0
  private readonly mono: Monotonic | undefined

  constructor(
    private readonly config: ModbusRtuConfig,
    deps: ModbusRtuDeps,
  ) {
    this.id = config.id
    this.name = config.name
    this.clock = deps.clock
    this.mono = deps.mono
    this.counters = new ModbusHealth(config.registers.map((r) => r.slaveId))
    this.poller = new ModbusPoller(config, {
      clock: deps.clock,
      log: deps.log,
      health: this.counters,
      deliver: (samples) => this.deliver(samples),
      answered: (now) => this.link.delivered(now),
      silent: (from) => this.link.silent(from),
    })
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
    const linked = this.link.state === 'running'
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      // An open port on which nothing answers is as dead as a pulled cable.
      state: linked && this.poller.busSilent ? 'error' : this.link.state,
      samplesPerS: this.meter.perSecond(),
      lastSampleAt: this.lastSampleAt,
      // While the port is open, what is wrong now is what the last cycle found (null once
      // every poll succeeds again); the port's own error is history by then.
      lastError: linked ? this.poller.lastError : (this.link.lastError ?? this.poller.lastError),
      slaves: this.poller.slaves.ids().map((slaveId) => ({
        slaveId,
        answering: !this.poller.slaves.isSilent(slaveId),
      })),
      noAnswer: this.poller.noAnswer(),
    }
  }

  /** Error counts by kind, the last few errors, per-slave counters and state, outages. */
  health(): SourceHealth {
    return this.counters.snapshot(this.id, [...this.link.outages], {
      states: this.poller.slaves,
      configErrors: this.poller.map.configErrors(),
    })
  }

  private startBus(port: SerialPortLike): void {
    if (!isWritable(port)) return this.link.lost(port, new Error('this port cannot send requests'))
    const bus = new ModbusBus(port, {
      clock: this.clock,
      mono: this.mono,
      settings: this.config.serial,
      timeoutMs: this.config.timeoutMs,
      retries: this.config.retries,
      onAttempt: (req, o) => this.counters.attempt(req, o, this.config.timeoutMs),
    })
    this.bus = bus
    this.poller.slaves.probeAllSoon(this.clock.now())
    this.nextCycleAt = this.clock.now()
    void this.cycle(bus, port)
  }

  private stopBus(reason: Error): void {
    if (this.cycleTimer) this.clock.clearTimeout(this.cycleTimer)
    this.cycleTimer = null
    this.bus?.close(reason)
    this.bus = null
  }

  /**
   * One poll cycle. Cycles start on a grid `pollMs` apart, so a timer that fires a little late
   * does not stretch every period; a cycle that overruns its period starts the next at once.
   */
  private async cycle(bus: ModbusBus, port: SerialPortLike): Promise<void> {
    this.cycleTimer = null
    this.nextCycleAt += this.config.pollMs
    const failed = await this.poller.cycle(bus)
    if (this.bus !== bus || !this.sink) return
    if (failed) return this.link.lost(port, failed)
    const now = this.clock.now()
    if (this.nextCycleAt < now) this.nextCycleAt = now
    this.cycleTimer = this.clock.setTimeout(
      () => void this.cycle(bus, port),
      this.nextCycleAt - now,
    )
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
