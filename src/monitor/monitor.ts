import {
  VigilError,
  type BackendName,
  type ContractMethods,
  type DemoState,
  type EventName,
  type EventPayload,
  type QuerySeriesParams,
  type QuerySeriesResult,
  type SetDemoFaultParams,
  type BackupResult,
  type Sensor,
  type Status,
  type StorageInfo,
  type StorageSettings,
  type ParsedParams,
  type Result,
  type SourceConfig,
} from '../contract'
import { SerialPort } from 'serialport'
import { AlarmService } from '../alarms/alarm-service'
import { importFile } from '../ingest/file/import-file'
import { previewFile } from '../ingest/file/preview-file'
import { discoverPorts } from '../ingest/serial/port-discovery'
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
}

const DEFAULT_MAINTENANCE_MS = 10 * 60_000
/** The first maintenance waits until start-up has settled. */
const FIRST_MAINTENANCE_MS = 60_000

type MonitorEvents = { [E in EventName]: EventPayload<E> }

/**
 * The one object every host creates. Its methods and events are the contract: sources feed a
 * batcher, each batch goes to the historian and to subscribers.
 */
export class Monitor implements ContractMethods {
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
    this.configured = new SourceManager({
      historian,
      clock: this.clock,
      log: this.log.scope('sources'),
      openPort: opts.openPort,
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
  }

  /** Opens the historian, starts the sources and loads the ML backend in the background. */
  static async create(opts: MonitorOptions): Promise<Monitor> {
    const logger = opts.logger ?? silentLogger
    const unlock = lockDataDir(opts.dataDir)
    let historian: Historian
    try {
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

  private status(): Status {
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

  async getStatus(): Promise<Status> {
    return this.status()
  }

  async listSensors(): Promise<Sensor[]> {
    return this.historian.sensors()
  }

  async querySeries(params: QuerySeriesParams): Promise<QuerySeriesResult> {
    // Samples still waiting in the batcher belong in the answer: flush them first.
    this.batcher.flush()
    return this.historian.querySeries(params)
  }

  async setDemoFault(params: SetDemoFaultParams): Promise<DemoState> {
    if (!this.demo)
      throw new VigilError('NOT_AVAILABLE', 'The demo plant is not running (start with --demo).')
    const state = this.demo.setFault(params.fault)
    this.log.info(`demo fault: ${state.fault}`)
    return state
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

  async getStorage(): Promise<StorageInfo> {
    return this.historian.info()
  }

  async setStorageSettings(settings: StorageSettings): Promise<StorageInfo> {
    this.historian.setSettings(settings)
    this.log.info(`storage settings changed: ${JSON.stringify(settings)}`)
    // Apply a tighter retention or cap now, not at the next scheduled run.
    void this.runMaintenance()
    return this.historian.info()
  }

  async backupNow(): Promise<BackupResult> {
    this.batcher.flush()
    return this.historian.backup()
  }

  async listSources(): Promise<SourceConfig[]> {
    return this.configured.list()
  }

  async saveSource(config: ParsedParams<'saveSource'>): Promise<SourceConfig> {
    return this.configured.save(config)
  }

  async deleteSource(params: ParsedParams<'deleteSource'>): Promise<Result<'deleteSource'>> {
    this.configured.delete(params.id)
    return { id: params.id }
  }

  async listPorts(): Promise<Result<'listPorts'>> {
    return discoverPorts({ list: () => SerialPort.list() })
  }

  async testSource(config: ParsedParams<'testSource'>): Promise<Result<'testSource'>> {
    return this.configured.test(config)
  }

  async getSourceHealth(
    params: ParsedParams<'getSourceHealth'>,
  ): Promise<Result<'getSourceHealth'>> {
    return this.configured.health(params.id)
  }

  async previewFile(params: ParsedParams<'previewFile'>): Promise<Result<'previewFile'>> {
    return previewFile(params.path, params.maxLines)
  }

  async importFile(params: ParsedParams<'importFile'>): Promise<Result<'importFile'>> {
    const result = await importFile(params, this.historian, { log: this.log.scope('import') })
    this.log.info(
      `imported ${result.stored} samples from ${params.path} in ${Math.round(result.durationMs)} ms`,
    )
    return result
  }

  async getTrainingDefaults(): Promise<Result<'getTrainingDefaults'>> {
    return this.models.defaults()
  }

  async startTraining(params: ParsedParams<'startTraining'>): Promise<Result<'startTraining'>> {
    // Samples still in the batcher belong to the training range.
    this.batcher.flush()
    return this.models.startTraining(params)
  }

  async cancelTraining(params: ParsedParams<'cancelTraining'>): Promise<Result<'cancelTraining'>> {
    return this.models.cancelTraining(params.jobId)
  }

  async getTraining(): Promise<Result<'getTraining'>> {
    return this.models.training()
  }

  async listModels(): Promise<Result<'listModels'>> {
    return this.models.list()
  }

  async activateModel(params: ParsedParams<'activateModel'>): Promise<Result<'activateModel'>> {
    return this.models.activate(params.id)
  }

  async deactivateModel(): Promise<Result<'deactivateModel'>> {
    return this.models.deactivate()
  }

  async deleteModel(params: ParsedParams<'deleteModel'>): Promise<Result<'deleteModel'>> {
    this.models.delete(params.id)
    return { id: params.id }
  }

  async setDetection(params: ParsedParams<'setDetection'>): Promise<Result<'setDetection'>> {
    return this.models.setDetection(params.id, params.detection)
  }

  async explainWindow(params: ParsedParams<'explainWindow'>): Promise<Result<'explainWindow'>> {
    this.batcher.flush()
    return this.models.explain(params.modelId, params.t)
  }

  async compareModels(params: ParsedParams<'compareModels'>): Promise<Result<'compareModels'>> {
    this.batcher.flush()
    return this.models.compare(params.candidateId, params)
  }

  async listAlarms(): Promise<Result<'listAlarms'>> {
    return this.alarms.list()
  }

  async acknowledgeAlarms(
    params: ParsedParams<'acknowledgeAlarms'>,
  ): Promise<Result<'acknowledgeAlarms'>> {
    // Samples still in the batcher may change these alarms: evaluate them first.
    this.batcher.flush()
    return this.alarms.acknowledge(params.ids, params.user, params.note)
  }

  async shelveAlarm(params: ParsedParams<'shelveAlarm'>): Promise<Result<'shelveAlarm'>> {
    this.batcher.flush()
    return this.alarms.shelve(params.id, params.user, params.reason, params.durationMs)
  }

  async unshelveAlarm(params: ParsedParams<'unshelveAlarm'>): Promise<Result<'unshelveAlarm'>> {
    this.batcher.flush()
    return this.alarms.unshelve(params.id, params.user, params.note)
  }

  async setAlarmService(
    params: ParsedParams<'setAlarmService'>,
  ): Promise<Result<'setAlarmService'>> {
    this.batcher.flush()
    return this.alarms.setService(params.id, params.user, params.inService, params.note)
  }

  async saveAlarmDefinition(
    params: ParsedParams<'saveAlarmDefinition'>,
  ): Promise<Result<'saveAlarmDefinition'>> {
    const view = this.alarms.saveDefinition(params.user, params.definition)
    this.log.info(`alarm ${view.id} saved by ${params.user}`)
    return view
  }

  async deleteAlarmDefinition(
    params: ParsedParams<'deleteAlarmDefinition'>,
  ): Promise<Result<'deleteAlarmDefinition'>> {
    const result = this.alarms.deleteDefinition(params.user, params.id)
    this.log.info(`alarm ${params.id} deleted by ${params.user}`)
    return result
  }

  async queryAlarmJournal(
    params: ParsedParams<'queryAlarmJournal'>,
  ): Promise<Result<'queryAlarmJournal'>> {
    return this.alarms.queryJournal(params)
  }

  async getAlarmKpis(params: ParsedParams<'getAlarmKpis'>): Promise<Result<'getAlarmKpis'>> {
    return this.alarms.kpis(params.from, params.to)
  }

  async listAnomalyEvents(
    params: ParsedParams<'listAnomalyEvents'>,
  ): Promise<Result<'listAnomalyEvents'>> {
    return this.alarms.events(params.from, params.to, params.limit)
  }

  async getAnomalyEvent(
    params: ParsedParams<'getAnomalyEvent'>,
  ): Promise<Result<'getAnomalyEvent'>> {
    return this.alarms.event(params.id)
  }

  async listUsers(): Promise<Result<'listUsers'>> {
    return this.alarms.users()
  }

  async saveUser(params: ParsedParams<'saveUser'>): Promise<Result<'saveUser'>> {
    return this.alarms.saveUser(params.user, { name: params.name, role: params.role })
  }

  async deleteUser(params: ParsedParams<'deleteUser'>): Promise<Result<'deleteUser'>> {
    return this.alarms.deleteUser(params.user, params.name)
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
    try {
      this.batcher.flush()
      this.alarms.stop()
      this.historian.close()
    } finally {
      this.unlock()
    }
  }
}
