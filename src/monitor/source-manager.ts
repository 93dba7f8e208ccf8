import {
  sourceConfigSchema,
  VigilError,
  type SourceConfig,
  type SourceHealth,
  type SourceStatus,
  type SourceTestResult,
} from '../contract'
import type { Historian } from '../historian/historian'
import { checkFileSourcePath } from '../ingest/file/file-access'
import type { Sample } from '../ingest/sample'
import type { Logger } from '../log/logger'
import type { Clock } from '../platform/clock'
import { createSource, testSource, type ManagedSource, type SourceDeps } from './create-source'

/**
 * The sources an engineer configured: stored in the database, started at start-up, replaced on
 * save, stopped on delete. One failing source never stops the others.
 */
export class SourceManager {
  private readonly running = new Map<string, ManagedSource>()
  private configs = new Map<string, SourceConfig>()

  constructor(
    private readonly deps: SourceDeps & {
      historian: Historian
      clock: Clock
      log: Logger
      sink: (samples: readonly Sample[]) => void
      /** Sensor ids other parts own (the demo plant), which sources may not take. */
      reservedSensorIds: () => ReadonlySet<string>
    },
  ) {}

  /** Starts every valid, enabled stored source; a broken stored config is logged and skipped. */
  startSaved(): void {
    for (const { id, config } of this.deps.historian.sourceStore.list()) {
      const parsed = sourceConfigSchema.safeParse(config)
      if (!parsed.success) {
        this.deps.log.error(`source ${id}: stored configuration is not valid; not started`)
        continue
      }
      this.configs.set(id, parsed.data)
      this.launch(parsed.data)
    }
  }

  list(): SourceConfig[] {
    return [...this.configs.values()]
  }

  get(id: string): SourceConfig | null {
    return this.configs.get(id) ?? null
  }

  statuses(): SourceStatus[] {
    return [...this.configs.values()].map(
      (c) =>
        this.running.get(c.id)?.status() ?? {
          id: c.id,
          kind: c.kind,
          name: c.name,
          state: 'stopped',
          samplesPerS: 0,
          lastSampleAt: null,
          lastError: c.enabled ? 'not started' : null,
        },
    )
  }

  /** Stores a source (new or changed) and restarts it with the new settings. */
  async save(config: SourceConfig): Promise<SourceConfig> {
    this.checkSensorIds(config)
    if (config.kind === 'file') await checkFileSourcePath(config.path, this.deps.fileFolders())
    // Building it checks what the schema cannot (a Modbus address below the numbering base).
    createSource(config, this.deps)
    this.deps.historian.sourceStore.put(config.id, config, this.deps.clock.now())
    this.stop(config.id)
    this.configs.set(config.id, config)
    this.launch(config)
    this.deps.log.info(`source ${config.id} (${config.kind}) saved`)
    return config
  }

  delete(id: string): void {
    if (!this.configs.has(id)) throw new VigilError('NOT_FOUND', `There is no source "${id}".`)
    this.stop(id)
    this.configs.delete(id)
    this.deps.historian.sourceStore.delete(id)
    this.deps.log.info(`source ${id} deleted; its history is kept`)
  }

  health(id: string): SourceHealth {
    if (!this.configs.has(id)) throw new VigilError('NOT_FOUND', `There is no source "${id}".`)
    const running = this.running.get(id)
    return running
      ? running.health()
      : { id, errorCounts: {}, recentErrors: [], slaves: [], outages: [] }
  }

  async test(config: SourceConfig): Promise<SourceTestResult> {
    if (config.kind === 'file') await checkFileSourcePath(config.path, this.deps.fileFolders())
    return testSource(config, this.deps)
  }

  stopAll(): void {
    for (const id of [...this.running.keys()]) this.stop(id)
  }

  private launch(config: SourceConfig): void {
    if (!config.enabled) return
    try {
      const source = createSource(config, this.deps)
      this.deps.historian.registerSensors(source.sensors())
      source.start(this.deps.sink)
      this.running.set(config.id, source)
    } catch (err) {
      this.deps.log.error(`source ${config.id} could not start`, err)
    }
  }

  private stop(id: string): void {
    this.running.get(id)?.stop()
    this.running.delete(id)
  }

  /** A sensor id belongs to one source: two writing the same history would mix their values. */
  private checkSensorIds(config: SourceConfig): void {
    const ids =
      config.kind === 'modbus-rtu'
        ? config.registers.map((r) => r.id)
        : config.channels.map((c) => c.id)
    const taken = new Map<string, string>()
    for (const other of this.configs.values()) {
      if (other.id === config.id) continue
      const theirs =
        other.kind === 'modbus-rtu'
          ? other.registers.map((r) => r.id)
          : other.channels.map((c) => c.id)
      for (const s of theirs) taken.set(s, other.id)
    }
    const reserved = this.deps.reservedSensorIds()
    const issues: string[] = []
    const seen = new Set<string>()
    ids.forEach((id, i) => {
      const where = config.kind === 'modbus-rtu' ? `registers.${i}.id` : `channels.${i}.id`
      if (seen.has(id)) issues.push(`${where}: "${id}" is used twice in this source`)
      else if (taken.has(id))
        issues.push(`${where}: "${id}" already belongs to source "${taken.get(id)}"`)
      else if (reserved.has(id)) issues.push(`${where}: "${id}" is a sensor of the demo plant`)
      seen.add(id)
    })
    if (issues.length)
      throw new VigilError(
        'INVALID_PARAMS',
        `Sensor ids must be unique: ${issues.join('; ')}`,
        issues,
      )
  }
}
