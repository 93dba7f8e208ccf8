import type { SourceConfig } from '../../contract'
import type { Logger } from '../../log/logger'
import type { Clock } from '../../platform/clock'
import type { Sample } from '../sample'
import { DeviceMap } from './device-map'
import type { Outcome } from './modbus-bus'
import type { ModbusHealth } from './modbus-health'
import { describeRead, planReads, type PlannedRead } from './poll-plan'
import { readSplitting } from './read-splitting'
import { readValues } from './read-values'
import type { ReadRequest } from './rtu-frame'
import { backoffFor, SlaveStates } from './slave-states'

type ModbusRtuConfig = Extract<SourceConfig, { kind: 'modbus-rtu' }>

/** The bus as the poller uses it: one request at a time, retries as configured unless given. */
export interface PollBus {
  request(req: ReadRequest, retries?: number): Promise<Outcome>
}

export interface PollerDeps {
  clock: Clock
  log?: Logger
  health: ModbusHealth
  deliver(samples: Sample[]): void
  /** A slave answered: the line works (an outage in progress has ended). */
  answered(now: number): void
  /** No slave answers any more: an outage since `from`, as if the cable were pulled. */
  silent(from: number): void
}

/** The most problems one cycle lists in `lastError`; the health counters keep them all. */
const SHOWN_PROBLEMS = 3

/**
 * What one poll cycle does on a Modbus line: every planned read of the slaves that answer (a
 * refused read split, see readSplitting), then a probe of each set-aside slave whose turn has
 * come (SlaveStates). It keeps the plan in step with what the devices taught (DeviceMap) and
 * says after each cycle what is wrong now (`lastError`, null once everything is read again).
 */
export class ModbusPoller {
  readonly map = new DeviceMap()
  readonly slaves: SlaveStates
  /** The problems of the last complete cycle; null when it read everything. */
  lastError: string | null = null
  /** True while no slave on the line answers. */
  busSilent = false
  private plan: PlannedRead[]
  private planVersion = 0
  private firstCycleAt: number | null = null

  /** Throws ModbusConfigError when a register address is impossible. */
  constructor(
    private readonly config: ModbusRtuConfig,
    private readonly deps: PollerDeps,
  ) {
    this.plan = planReads(config.registers, { slaves: config.slaves })
    this.slaves = new SlaveStates(
      config.registers.map((r) => r.slaveId),
      backoffFor(config.timeoutMs),
    )
  }

  /** The reads a cycle makes now (learned holes and missing registers left out). */
  get reads(): readonly PlannedRead[] {
    return this.plan
  }

  /** Sensors of the slaves that do not answer. */
  noAnswer(): string[] {
    return this.config.registers.filter((r) => this.slaves.isSilent(r.slaveId)).map((r) => r.id)
  }

  /** One cycle on `bus`; a port failure ends it early and is returned. */
  async cycle(bus: PollBus): Promise<Error | null> {
    const { clock } = this.deps
    this.firstCycleAt ??= clock.now()
    if (this.map.version !== this.planVersion) {
      this.plan = planReads(this.config.registers, { slaves: this.config.slaves, map: this.map })
      this.planVersion = this.map.version
    }
    const problems: string[] = []
    const visit = (read: PlannedRead, outcome: Outcome, alone: boolean) =>
      this.take(read, outcome, alone, problems)
    const splitting = { bus, map: this.map, now: () => clock.now() }
    for (const read of this.plan) {
      if (this.slaves.isSilent(read.slaveId)) continue
      const failed = await readSplitting(read, splitting, visit)
      if (failed) return failed.error
    }
    for (const slaveId of this.slaves.dueProbes(clock.now())) {
      const probe = this.plan.find((r) => r.slaveId === slaveId)
      if (!probe) continue
      const outcome = await bus.request(probe, 0)
      if (outcome.kind === 'port') return outcome.error
      visit(probe, outcome, false)
    }
    this.finish(problems)
    return null
  }

  private take(read: PlannedRead, outcome: Outcome, alone: boolean, problems: string[]): void {
    const { clock, health, log } = this.deps
    const now = clock.now()
    const id = this.config.id
    if (outcome.kind === 'timeout') {
      if (this.slaves.timedOut(read.slaveId, now)) {
        const wait = (this.slaves.of(read.slaveId).nextProbeAt ?? now) - now
        log?.warn(`${id}: slave ${read.slaveId} does not answer; asking it again in ${wait} ms`)
      }
    } else {
      if (this.slaves.answered(read.slaveId, now)) {
        log?.info(`${id}: slave ${read.slaveId} answers again`)
      }
      this.deps.answered(now)
    }
    if (alone) {
      const errors = read.items.flatMap((i) => this.map.errorOf(i.register.id) ?? [])
      health.refused(errors)
      log?.warn(`${id}: ${describeRead(read)} refused on its own; not polled again`)
      return
    }
    const { samples, error } = readValues(read, outcome, now, health)
    // A slave set aside is named once ("not answering"), not once per read.
    if (error && !this.slaves.isSilent(read.slaveId))
      problems.push(`${describeRead(read)}: ${error}`)
    this.deps.deliver(samples)
  }

  private finish(problems: string[]): void {
    const silent = this.slaves.silentIds()
    const path = this.config.serial.path
    if (this.slaves.allSilent()) {
      if (!this.busSilent) {
        this.busSilent = true
        this.deps.silent(this.slaves.lastAnswerAt() ?? this.firstCycleAt ?? this.deps.clock.now())
        this.deps.log?.warn(`${this.config.id}: no slave on ${path} answers`)
      }
      this.lastError =
        `No slave on ${path} answers (${slaveList(silent)}): check the wiring, the devices' ` +
        'power, baud rate, parity and slave ids.'
      return
    }
    this.busSilent = false
    const notes = silent.length ? [`${slaveList(silent)} not answering`] : []
    const shown = problems.slice(0, SHOWN_PROBLEMS)
    if (problems.length > SHOWN_PROBLEMS) shown.push(`${problems.length - SHOWN_PROBLEMS} more`)
    this.lastError = [...notes, ...shown].join('; ') || null
  }
}

const slaveList = (ids: readonly number[]) =>
  `${ids.length === 1 ? 'slave' : 'slaves'} ${ids.join(', ')}`
