import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BackendName, ContractMethods, EventName, EventPayload, Status } from '../contract'
import { AlarmService } from '../alarms/alarm-service'
import { AuthService } from '../auth/auth-service'
import { fileFolders, IMPORTS_FOLDER } from '../ingest/file/file-access'
import type { SerialPortFactory } from '../ingest/serial/serial-port-factory'
import { SourceManager } from './source-manager'
import { Historian } from '../historian/historian'
import { DemoSource } from '../ingest/demo-plant/demo-source'
import type { Source } from '../ingest/source'
import { silentLogger, type Logger } from '../log/logger'
import { selectBackend, type BackendPreference } from '../model/backend'
import { ModelService } from '../model/service/model-service'
import { systemClock, type Clock, type Timer } from '../platform/clock'
import { lockDataDir } from '../platform/data-dir-lock'
import { VERSION } from '../version'
import { contractMethods } from './methods'
import { SampleBatcher } from './sample-batcher'
import { TypedEmitter } from './typed-emitter'

export interface MonitorOptions {
  dataDir: string
  host: Status['host']
  /**
   * Run the built-in demo plant. `historyMs`: on a database without any demo data, first
   * simulate that much history (so a model can be trained right away).
   */
  demo?: boolean | { seed?: number; rateHz?: number; historyMs?: number }
  clock?: Clock
  logger?: Logger
  batchMs?: number
  statusIntervalMs?: number
  /** `skip` leaves TensorFlow.js unloaded (tests of other parts). */
  backend?: BackendPreference | 'skip'
  /** How often retention, the size cap and space reclaiming run; 0 turns them off. */
  maintenanceIntervalMs?: number
  /** Serial ports for the configured sources (tests pass a fake). */
  openPort?: SerialPortFactory
  /** The user's home folder, whose `Documents` files may be read from (tests pass a temp one). */
  home?: string
  /**
   * The data folder's lock, already taken by the caller (so that a refused start touches
   * nothing, not even the log); without it, `create` takes it.
   */
  unlock?: () => void
}

const DEFAULT_MAINTENANCE_MS = 10 * 60_000
/** The first maintenance waits until start-up has settled. */
const FIRST_MAINTENANCE_MS = 60_000

type MonitorEvents = { [E in EventName]: EventPayload<E> }

/**
 * The one object every host creates. Its `methods` and events are the contract: sources feed a
 * batcher, each batch goes to the historian and to subscribers.
 */
export class Monitor {
  private readonly emitter = new TypedEmitter<MonitorEvents>()
  private readonly clock: Clock
  private readonly log: Logger
  private readonly startedAt: number
  private readonly sources: Source[] = []
  private readonly demo: DemoSource | null
  private readonly configured: SourceManager
  private readonly batcher: SampleBatcher
  private readonly models: ModelService
  private readonly alarms: AlarmService
  /** Accounts, sessions, the first-run set-up and the security settings. */
  readonly auth: AuthService
  /** The contract's methods, for the dispatcher (see `src/monitor/methods`). */
  readonly methods: ContractMethods
  private statusTimer: Timer | null = null
  private maintenanceTimer: Timer | null = null
  private maintenanceRunning: Promise<void> | null = null
  private backend: BackendName = 'pending'
  private closed = false

  private constructor(
    private readonly opts: MonitorOptions,
    readonly historian: Historian,
    private readonly unlock: () => void,
  ) {
    this.clock = opts.clock ?? systemClock
    this.log = (opts.logger ?? silentLogger).scope('monitor')
    this.startedAt = this.clock.now()
    this.batcher = new SampleBatcher({
      clock: this.clock,
      maxDelayMs: opts.batchMs ?? 250,
      onFlush: (batch) => {
        try {
          this.historian.writeBatch(batch)
        } catch (err) {
          this.log.error('writing samples failed', err)
        }
        this.emitter.emit('samples', batch, (err) => this.log.error('samples listener failed', err))
        this.models.onSamples(batch)
        this.alarms.onSamples(batch)
      },
    })
    this.models = new ModelService({
      historian,
      now: () => this.clock.now(),
      log: this.log.scope('model'),
      store: (samples) => this.batcher.push(samples),
      onTraining: (p) =>
        this.emitter.emit('training', p, (err) => this.log.error('training listener failed', err)),
      onScores: (b) => {
        this.emitter.emit('scores', b, (err) => this.log.error('scores listener failed', err))
        this.alarms.onScores(b)
      },
    })
    const demoOpts = typeof opts.demo === 'object' ? opts.demo : {}
    this.demo = opts.demo
      ? new DemoSource({ clock: this.clock, seed: demoOpts.seed, rateHz: demoOpts.rateHz })
      : null
    if (this.demo) this.sources.push(this.demo)
    const demoIds = new Set(this.demo?.sensors().map((s) => s.id) ?? [])
    this.auth = new AuthService({
      store: historian.accountStore,
      audit: historian.auditTrail,
      clock: this.clock,
      log: this.log.scope('auth'),
      fileFolders: (extra) => fileFolders(opts.dataDir, extra, opts.home),
    })
    this.configured = new SourceManager({
      historian,
      clock: this.clock,
      log: this.log.scope('sources'),
      openPort: opts.openPort,
      fileFolders: () => this.auth.fileFolders(),
      sink: (samples) => this.batcher.push(samples),
      reservedSensorIds: () => demoIds,
    })
    this.alarms = new AlarmService({
      store: historian.alarmStore,
      clock: this.clock,
      log: this.log.scope('alarms'),
      emit: (e) =>
        this.emitter.emit('alarms', e, (err) => this.log.error('alarms listener failed', err)),
      sensor: (id) => historian.sensor(id),
      sources: () => [...this.sources.map((s) => s.status()), ...this.configured.statuses()],
      startedAt: this.startedAt,
    })
    this.methods = contractMethods({
      historian,
      batcher: this.batcher,
      sources: this.configured,
      models: this.models,
      alarms: this.alarms,
      auth: this.auth,
      demo: this.demo,
      log: this.log,
      status: () => this.status(),
      runMaintenance: () => this.runMaintenance(),
    })
  }

  /** Opens the historian, starts the sources and loads the ML backend in the background. */
  static async create(opts: MonitorOptions): Promise<Monitor> {
    const logger = opts.logger ?? silentLogger
    const unlock = opts.unlock ?? lockDataDir(opts.dataDir)
    let historian: Historian
    try {
      mkdirSync(join(opts.dataDir, IMPORTS_FOLDER), { recursive: true })
      historian = new Historian(opts.dataDir, {
        log: logger.scope('historian'),
        now: () => (opts.clock ?? systemClock).now(),
      })
    } catch (err) {
      unlock()
      throw err
    }
    const monitor = new Monitor(opts, historian, unlock)
    monitor.start()
    return monitor
  }

  private start(): void {
    if (this.demo) this.simulateDemoHistory(this.demo)
    for (const source of this.sources) {
      this.historian.registerSensors(source.sensors())
      source.start((samples) => this.batcher.push(samples))
      this.log.info(`source ${source.id} (${source.kind}) started`)
    }
    this.configured.startSaved()
    this.alarms.start()
    this.auth.start()
    const interval = this.opts.statusIntervalMs ?? 2000
    this.statusTimer = this.clock.setInterval(() => {
      if (this.emitter.listenerCount('status') > 0) this.emitter.emit('status', this.status())
    }, interval)
    const every = this.opts.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_MS
    if (every > 0) {
      const first = this.clock.setTimeout(
        () => {
          void this.runMaintenance()
          this.maintenanceTimer = this.clock.setInterval(() => void this.runMaintenance(), every)
        },
        Math.min(every, FIRST_MAINTENANCE_MS),
      )
      this.maintenanceTimer = first
    }
    const pref = this.opts.backend ?? 'auto'
    if (pref === 'skip') {
      this.backend = 'unavailable'
    } else {
      void this.models.resume()
      void selectBackend(pref, this.log.scope('model')).then(
        (b) => {
          this.backend = b
          this.log.info(`ML backend: ${b}`)
        },
        (err: unknown) => {
          this.backend = 'unavailable'
          this.log.error('no ML backend could be loaded', err)
        },
      )
    }
  }

  private simulateDemoHistory(demo: DemoSource): void {
    const historyMs = typeof this.opts.demo === 'object' ? (this.opts.demo.historyMs ?? 0) : 0
    const first = demo.sensors()[0]
    if (historyMs <= 0 || !first || this.historian.lastSampleTime(first.id) !== null) return
    this.historian.registerSensors(demo.sensors())
    const now = this.clock.now()
    const started = performance.now()
    const n = this.historian.bulkInsert(demo.history(now - historyMs, now))
    this.log.info(
      `demo plant: simulated ${Math.round(historyMs / 3_600_000)} h of history (${n} samples) in ${Math.round(performance.now() - started)} ms`,
    )
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.emitter.on(event, listener)
  }

  get backendName(): BackendName {
    return this.backend
  }

  /** The status now (the `getStatus` answer and the web host's health). */
  status(): Status {
    return {
      version: VERSION,
      host: this.opts.host,
      backend: this.backend,
      startedAt: this.startedAt,
      now: this.clock.now(),
      dataDir: this.opts.dataDir,
      sensors: this.historian.sensors().length,
      sources: [...this.sources.map((s) => s.status()), ...this.configured.statuses()],
      demo: this.demo ? this.demo.demoState() : null,
      storage: this.historian.stats(),
    }
  }

  /** Runs historian maintenance unless a run is already going; resolves when it ends. */
  runMaintenance(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.maintenanceRunning ??= this.historian
      .maintain()
      .then(
        () => undefined,
        (err: unknown) => this.log.error('maintenance failed', err),
      )
      .finally(() => {
        this.maintenanceRunning = null
      })
    return this.maintenanceRunning
  }

  /** Stops the sources, writes what is pending and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const s of this.sources) s.stop()
    this.configured.stopAll()
    if (this.statusTimer) this.clock.clearInterval(this.statusTimer)
    if (this.maintenanceTimer) {
      this.clock.clearTimeout(this.maintenanceTimer)
      this.clock.clearInterval(this.maintenanceTimer)
    }
    // Maintenance works in chunks between pauses: let the current chunk end before closing.
    await this.maintenanceRunning
    await this.models.close()
    this.auth.stop()
    try {
      this.batcher.flush()
      this.alarms.stop()
      this.historian.close()
    } finally {
      this.unlock()
    }
  }
}
