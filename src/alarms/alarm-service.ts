import {
  VigilError,
  type AlarmActionResult,
  type AlarmDefinition,
  type AlarmDefinitionFields,
  type AlarmKpis,
  type AnomalyEvent,
  type JournalPage,
  type JournalQuery,
  type AlarmList,
  type AlarmsEvent,
  type AlarmView,
  type JournalCause,
  type JournalEntry,
  type LimitAlarmDefinition,
  type SampleBatch,
  type ScoreBatch,
  type Sensor,
  type SourceStatus,
} from '../contract'
import type { AlarmStore } from '../historian/alarm-store'
import type { Logger } from '../log/logger'
import type { Clock, Timer } from '../platform/clock'
import {
  emptyDetail,
  initialRuntime,
  type AlarmInput,
  type AlarmRuntime,
  type StoredAlarmState,
  type Transition,
} from './alarm-runtime'
import { summarize, toView } from './alarm-view'
import { AnomalyTracker } from './anomaly-tracker'
import { limitCondition, modelCondition, sourceCondition } from './condition'
import { MODEL_ALARM_ID, definitionId } from './definition-id'
import {
  DEFAULT_MODEL_ALARM,
  checkLimitOrder,
  checkSourceDefinition,
  describeDefinition,
  missingSourceAlarms,
  watchesLiveSource,
} from './definition-rules'
import { computeKpis } from './kpis'
import { nextDeadline, step } from './state-machine'

export interface AlarmServiceOptions {
  store: AlarmStore
  clock: Clock
  log: Logger
  emit: (e: AlarmsEvent) => void
  sensor: (id: string) => Sensor | undefined
  /** The sources' health now (for source alarms and suppression by design). */
  sources: () => SourceStatus[]
  /** When the process started: a source that never sent anything is stale from here. */
  startedAt: number
  tickMs?: number
}

/** Without scores for this long, the model alarm's condition is taken as clear. */
const MODEL_SILENCE_MS = 60_000
/** Source states that hide the alarms on that source's sensors (suppressed by design). */
const SUPPRESSING_SOURCE_STATES = new Set<SourceStatus['state']>([
  'stopped',
  'reconnecting',
  'error',
])

type NewJournalRow = Omit<JournalEntry, 'seq'>

/** Who acted (null: the system) and their note. */
interface Actor {
  user: string | null
  note: string | null
}

/**
 * Raises and manages alarms (ISA-18.2): evaluates limit, model and source-health conditions on
 * every batch, runs each alarm's state machine, journals every transition and operator action
 * durably, and announces changes as `alarms` events.
 */
export class AlarmService {
  private readonly defs = new Map<string, AlarmDefinition>()
  private readonly states = new Map<string, StoredAlarmState>()
  private readonly limitsBySensor = new Map<string, LimitAlarmDefinition[]>()
  private readonly tracker: AnomalyTracker
  private readonly journal: NewJournalRow[] = []
  private readonly dirty = new Set<string>()
  private readonly changed = new Set<string>()
  private readonly removed: string[] = []
  private lastScoreAt: number | null = null
  private timer: Timer | null = null

  constructor(private readonly o: AlarmServiceOptions) {
    this.tracker = new AnomalyTracker(o.store)
  }

  /** Loads definitions and states, applies what elapsed while the app was down, starts ticking. */
  start(): void {
    const now = this.o.clock.now()
    const stored = this.o.store.states()
    for (const def of this.o.store.definitions()) this.defs.set(def.id, def)
    if (!this.defs.has(MODEL_ALARM_ID)) this.addDefinition(DEFAULT_MODEL_ALARM, now, null)
    for (const def of this.defs.values()) {
      const s = stored.get(def.id)
      if (s) this.states.set(def.id, s)
      else {
        this.states.set(def.id, { runtime: initialRuntime(now), detail: emptyDetail() })
        this.dirty.add(def.id)
      }
    }
    this.rebuildIndex()
    this.tracker.resume(this.states.get(MODEL_ALARM_ID)?.detail.eventId ?? null)
    this.tick()
    this.timer = this.o.clock.setInterval(() => this.tick(), this.o.tickMs ?? 1000)
  }

  stop(): void {
    if (this.timer) this.o.clock.clearInterval(this.timer)
    this.timer = null
    this.flush()
  }

  // ---- inputs from the process ------------------------------------------------------------

  /** A batch of samples: limit alarms on those sensors are evaluated in order. */
  onSamples(batch: SampleBatch): void {
    const { sensorIds, t, values } = batch
    for (let i = 0; i < sensorIds.length; i++) {
      const defs = this.limitsBySensor.get(sensorIds[i] ?? '')
      if (!defs) continue
      const v = values[i] ?? NaN
      const ti = t[i] ?? 0
      for (const def of defs) {
        const s = this.mustState(def.id)
        const active = limitCondition(def, v, s.runtime.condition)
        if (active === s.runtime.condition && !s.runtime.condition) continue
        this.apply(def, { type: 'condition', t: ti, active }, null, v)
      }
    }
    this.flush()
  }

  /** Scores of the active model: the model alarm and its anomaly event. */
  onScores(b: ScoreBatch): void {
    const def = this.defs.get(MODEL_ALARM_ID)
    if (!def || def.kind !== 'model' || b.t.length === 0) return
    for (let i = 0; i < b.t.length; i++) {
      const t = b.t[i] ?? 0
      const smoothed = b.smoothed[i] ?? 0
      const contributions = b.contributions[i] ?? []
      const s = this.mustState(def.id)
      const active = modelCondition(
        def,
        { smoothed, threshold: b.threshold, anomalous: b.anomalous[i] ?? false },
        s.runtime.condition,
      )
      const wasActive = s.runtime.active
      const next = this.apply(def, { type: 'condition', t, active }, null, smoothed, {
        modelId: b.modelId,
        sensorIds: b.sensorIds,
        threshold: b.threshold,
        contributions,
      })
      if (next.active) this.tracker.observe(t, smoothed, contributions, b.threshold)
      if (wasActive && next.active) this.refreshContributors()
    }
    this.lastScoreAt = b.t[b.t.length - 1] ?? null
    this.flush()
  }

  /** Time passes: delays, shelving expiries, source health, suppression, a silent model. */
  tick(): void {
    const now = this.o.clock.now()
    const statuses = new Map(this.o.sources().map((s) => [s.id, s]))
    this.seedSourceAlarms(statuses, now)
    for (const def of this.defs.values()) {
      const s = this.mustState(def.id)
      if (def.kind === 'source') {
        const status = statuses.get(def.sourceId)
        const active = status
          ? sourceCondition(def, { ...status, startedAt: this.o.startedAt }, now)
          : false
        if (active !== s.runtime.condition) {
          // The age of the source's data; a silent slave's is not told by it (others deliver).
          const age =
            status && def.condition !== 'no-answer'
              ? now - (status.lastSampleAt ?? this.o.startedAt)
              : null
          this.apply(def, { type: 'condition', t: now, active }, null, age)
          continue
        }
      } else if (def.kind === 'limit') {
        const sensor = this.o.sensor(def.sensorId)
        const status = sensor ? statuses.get(sensor.sourceId) : undefined
        // Its source is down, or its Modbus slave does not answer: nothing to judge it by.
        const hide =
          status !== undefined &&
          (SUPPRESSING_SOURCE_STATES.has(status.state) ||
            (status.noAnswer?.includes(def.sensorId) ?? false))
        if (hide !== s.runtime.suppressed)
          this.apply(def, { type: hide ? 'suppress' : 'unsuppress', t: now }, null, null)
      } else if (
        s.runtime.condition &&
        (this.lastScoreAt === null || now - this.lastScoreAt > MODEL_SILENCE_MS)
      ) {
        this.apply(def, { type: 'condition', t: now, active: false }, null, null)
        continue
      }
      const due = nextDeadline(s.runtime, def)
      if (due !== null && due <= now) this.apply(def, { type: 'tick', t: now }, null, null)
    }
    this.flush()
  }

  // ---- operator actions -------------------------------------------------------------------

  // `user` is the signed-in caller, whose role the dispatcher has already checked.

  acknowledge(ids: readonly string[], user: string, note?: string): AlarmActionResult {
    const t = this.o.clock.now()
    return this.act(ids, (def) =>
      this.apply(def, { type: 'ack', t }, { user, note: note || null }, null),
    )
  }

  shelve(id: string, user: string, reason: string, durationMs: number): AlarmActionResult {
    const t = this.o.clock.now()
    return this.actOne(id, (def) =>
      this.apply(def, { type: 'shelve', t, until: t + durationMs }, { user, note: reason }, null),
    )
  }

  unshelve(id: string, user: string, note?: string): AlarmActionResult {
    const t = this.o.clock.now()
    return this.actOne(id, (def) =>
      this.apply(def, { type: 'unshelve', t }, { user, note: note || null }, null),
    )
  }

  setService(id: string, user: string, inService: boolean, note?: string): AlarmActionResult {
    const t = this.o.clock.now()
    const type = inService ? 'return-to-service' : 'out-of-service'
    return this.actOne(id, (def) =>
      this.apply(def, { type, t }, { user, note: note || null }, null),
    )
  }

  // ---- definitions ------------------------------------------------------------------------

  /** Returns the view and the definition it replaced (null for a new one), for the audit. */
  saveDefinition(
    user: string,
    input: AlarmDefinitionFields,
  ): { view: AlarmView; before: AlarmDefinition | null } {
    const id = definitionId(input)
    if (input.id !== undefined && input.id !== id)
      throw new VigilError(
        'INVALID_PARAMS',
        `What alarm "${input.id}" watches cannot change; create a new alarm instead.`,
        ['definition.id: the sensor, level, source or condition of an alarm cannot change'],
      )
    if (input.id === undefined && this.defs.has(id))
      throw new VigilError('INVALID_PARAMS', `Alarm "${id}" already exists; edit it instead.`, [
        'definition: an alarm for this sensor and level (or source and condition) already exists',
      ])
    const def = { ...input, id } as AlarmDefinition
    if (def.kind === 'limit') {
      if (!this.o.sensor(def.sensorId))
        throw new VigilError('INVALID_PARAMS', `There is no sensor "${def.sensorId}".`, [
          `definition.sensorId: no sensor "${def.sensorId}"`,
        ])
      checkLimitOrder(def, [...this.defs.values()])
    }
    if (def.kind === 'source' && !this.o.sources().some((s) => s.id === def.sourceId))
      throw new VigilError('INVALID_PARAMS', `There is no source "${def.sourceId}".`, [
        `definition.sourceId: no source "${def.sourceId}"`,
      ])
    if (def.kind === 'source') checkSourceDefinition(def)
    const before = this.defs.get(id) ?? null
    this.addDefinition(def, this.o.clock.now(), user)
    this.flush()
    return { view: this.view(id), before }
  }

  /** Returns the deleted definition, for the audit. */
  deleteDefinition(user: string, id: string): AlarmDefinition {
    const def = this.defs.get(id)
    if (!def) throw new VigilError('NOT_FOUND', `There is no alarm "${id}".`)
    if (def.kind === 'model')
      throw new VigilError(
        'INVALID_PARAMS',
        'The model alarm cannot be deleted; take it out of service instead.',
      )
    if (def.kind === 'source' && watchesLiveSource(def, this.o.sources()))
      throw new VigilError(
        'INVALID_PARAMS',
        `A health alarm of source "${def.sourceId}" cannot be deleted while the source exists; take it out of service instead.`,
      )
    const s = this.mustState(id)
    this.journal.push(
      this.row(def, this.o.clock.now(), 'definition-deleted', s.runtime.state, s.runtime.state, {
        user,
        note: describeDefinition(def),
      }),
    )
    this.flush(() => this.o.store.deleteDefinition(id))
    this.defs.delete(id)
    this.states.delete(id)
    this.rebuildIndex()
    this.removed.push(id)
    this.dirty.delete(id)
    this.changed.delete(id)
    this.emit()
    return def
  }

  // ---- journal, KPIs and anomaly events ---------------------------------------------------

  queryJournal(q: JournalQuery): JournalPage {
    return this.o.store.queryJournal(q)
  }

  kpis(from: number, to: number): AlarmKpis {
    return computeKpis(this.o.store.kpiInput(from, to), from, to)
  }

  events(from: number, to: number, limit: number): AnomalyEvent[] {
    this.tracker.persist()
    return this.o.store.listEvents(from, to, limit)
  }

  event(id: number): AnomalyEvent {
    this.tracker.persist()
    const e = this.o.store.event(id)
    if (!e) throw new VigilError('NOT_FOUND', `There is no anomaly event ${id}.`)
    return e
  }

  // ---- reading ----------------------------------------------------------------------------

  list(): AlarmList {
    return { alarms: [...this.defs.keys()].map((id) => this.view(id)), summary: this.summary() }
  }

  private view(id: string): AlarmView {
    const def = this.defs.get(id)
    if (!def) throw new VigilError('NOT_FOUND', `There is no alarm "${id}".`)
    return toView(def, this.mustState(id))
  }

  private summary() {
    const rows: { priority: AlarmDefinition['priority']; state: AlarmRuntime['state'] }[] = []
    for (const [id, def] of this.defs)
      rows.push({ priority: def.priority, state: this.mustState(id).runtime.state })
    return summarize(rows)
  }

  // ---- internals --------------------------------------------------------------------------

  private mustState(id: string): StoredAlarmState {
    let s = this.states.get(id)
    if (!s) {
      s = { runtime: initialRuntime(this.o.clock.now()), detail: emptyDetail() }
      this.states.set(id, s)
      this.dirty.add(id)
    }
    return s
  }

  private addDefinition(def: AlarmDefinition, t: number, user: string | null): void {
    const isNew = !this.defs.has(def.id)
    this.defs.set(def.id, def)
    const s = this.mustState(def.id)
    this.rebuildIndex()
    this.journal.push(
      this.row(def, t, 'definition-saved', s.runtime.state, s.runtime.state, {
        user,
        note: `${isNew ? 'created' : 'changed'}: ${describeDefinition(def)}`,
      }),
    )
    this.pendingDefinitions.push(def)
    this.changed.add(def.id)
    this.dirty.add(def.id)
  }

  private readonly pendingDefinitions: AlarmDefinition[] = []

  /** The source exists (and, for a slave's alarm, still polls that slave). */
  private seedSourceAlarms(statuses: Map<string, SourceStatus>, t: number): void {
    const missing = missingSourceAlarms(statuses.values(), (id) => this.defs.has(id))
    for (const d of missing) this.addDefinition(d, t, null)
  }

  private rebuildIndex(): void {
    this.limitsBySensor.clear()
    for (const def of this.defs.values()) {
      if (def.kind !== 'limit') continue
      const list = this.limitsBySensor.get(def.sensorId) ?? []
      list.push(def)
      this.limitsBySensor.set(def.sensorId, list)
    }
  }

  /** Runs one input through an alarm's state machine and records what it changed. */
  private apply(
    def: AlarmDefinition,
    input: AlarmInput,
    actor: Actor | null,
    value: number | null,
    model?: {
      modelId: number
      sensorIds: readonly string[]
      threshold: number
      contributions: readonly number[]
    },
  ): AlarmRuntime {
    const s = this.mustState(def.id)
    const before = s.runtime
    const { next, transitions, refused } = step(before, input, def)
    if (refused !== null) {
      if (actor) throw new VigilError('INVALID_PARAMS', `${def.name}: ${refused}`)
      return before
    }
    if (sameRuntime(next, before)) return before
    s.runtime = next
    this.dirty.add(def.id)
    if (!before.active && next.active) this.onActivated(def, s, next, value, model)
    if (before.active && !next.active && def.kind === 'model') {
      this.tracker.end(input.t)
      this.refreshContributors()
    }
    for (const tr of transitions) this.record(def, s, tr, actor, input)
    if (transitions.length > 0 || before.active !== next.active) this.changed.add(def.id)
    return next
  }

  private onActivated(
    def: AlarmDefinition,
    s: StoredAlarmState,
    next: AlarmRuntime,
    value: number | null,
    model?: {
      modelId: number
      sensorIds: readonly string[]
      threshold: number
      contributions: readonly number[]
    },
  ): void {
    s.detail = { ...s.detail, value, ackedBy: null, ackedAt: null, ackNote: null }
    if (def.kind === 'model' && model) {
      const eventId = this.tracker.start(
        next.activatedAt ?? this.o.clock.now(),
        model.modelId,
        def.id,
        model.sensorIds,
        model.threshold,
      )
      this.tracker.observe(next.activatedAt ?? 0, value ?? 0, model.contributions, model.threshold)
      s.detail = { ...s.detail, eventId, contributors: this.tracker.contributors() }
    }
  }

  private refreshContributors(): void {
    const s = this.states.get(MODEL_ALARM_ID)
    if (!s) return
    const ranked = this.tracker.contributors()
    if (ranked.length > 0) s.detail = { ...s.detail, contributors: ranked }
  }

  private record(
    def: AlarmDefinition,
    s: StoredAlarmState,
    tr: Transition,
    actor: Actor | null,
    input: AlarmInput,
  ): void {
    // Annunciated again (activation, unshelve, return to service): it needs a new acknowledgement.
    if (tr.to === 'unacked') s.detail = { ...s.detail, ackedBy: null, ackedAt: null, ackNote: null }
    if (actor && (tr.cause === 'ack' || tr.cause === 'reset'))
      s.detail = { ...s.detail, ackedBy: actor.user, ackedAt: tr.t, ackNote: actor.note }
    if (actor && tr.cause === 'shelve')
      s.detail = { ...s.detail, shelvedBy: actor.user, shelveReason: actor.note }
    const value = tr.cause === 'activate' ? s.detail.value : null
    const byActor = actor !== null && input.type !== 'condition' && input.type !== 'tick'
    this.journal.push(
      this.row(def, tr.t, tr.cause, tr.from, tr.to, byActor ? actor : null, value, s),
    )
  }

  private row(
    def: AlarmDefinition,
    t: number,
    cause: JournalCause,
    from: AlarmRuntime['state'],
    to: AlarmRuntime['state'],
    actor: Actor | null,
    value: number | null = null,
    s?: StoredAlarmState,
  ): NewJournalRow {
    const sensorId =
      def.kind === 'limit'
        ? def.sensorId
        : def.kind === 'model'
          ? (s?.detail.contributors[0]?.sensorId ?? null)
          : null
    return {
      t,
      alarmId: def.id,
      alarmName: def.name,
      priority: def.priority,
      cause,
      from,
      to,
      user: actor?.user ?? null,
      note: actor?.note ?? null,
      value,
      sensorId,
    }
  }

  private act(
    ids: readonly string[],
    fn: (def: AlarmDefinition) => AlarmRuntime,
  ): AlarmActionResult {
    const skipped: string[] = []
    const done: string[] = []
    for (const id of new Set(ids)) {
      const def = this.defs.get(id)
      if (!def) {
        skipped.push(id)
        continue
      }
      try {
        fn(def)
        done.push(id)
      } catch (err) {
        if (ids.length === 1) throw err
        skipped.push(id)
      }
    }
    this.flush()
    return { changed: done.map((id) => this.view(id)), skipped, summary: this.summary() }
  }

  private actOne(id: string, fn: (def: AlarmDefinition) => AlarmRuntime): AlarmActionResult {
    if (!this.defs.has(id)) throw new VigilError('NOT_FOUND', `There is no alarm "${id}".`)
    return this.act([id], fn)
  }

  /**
   * Commits the journal rows, the changed states and the open anomaly event in one durable
   * transaction, then announces the change. Nothing is announced that is not on disk.
   */
  private flush(extra?: () => void): void {
    if (
      this.journal.length === 0 &&
      this.dirty.size === 0 &&
      this.pendingDefinitions.length === 0 &&
      !extra
    ) {
      this.tracker.persist()
      return
    }
    const rows = this.journal.splice(0)
    const defs = this.pendingDefinitions.splice(0)
    const states = [...this.dirty]
      .filter((id) => this.defs.has(id))
      .map((id) => ({ id, state: this.mustState(id) }))
    this.dirty.clear()
    const t = this.o.clock.now()
    this.o.store.transaction(() => {
      for (const def of defs) this.o.store.saveDefinition(def, t)
      if (rows.length) this.o.store.appendJournal(rows)
      if (states.length) this.o.store.saveStates(states)
      this.tracker.persist()
      extra?.()
    })
    this.emit()
  }

  private emit(): void {
    if (this.changed.size === 0 && this.removed.length === 0) return
    const changed = [...this.changed].filter((id) => this.defs.has(id)).map((id) => this.view(id))
    this.changed.clear()
    const removed = this.removed.splice(0)
    try {
      this.o.emit({ t: this.o.clock.now(), changed, removed, summary: this.summary() })
    } catch (err) {
      this.o.log.error('alarms listener failed', err)
    }
  }
}

function sameRuntime(a: AlarmRuntime, b: AlarmRuntime): boolean {
  return (
    a.state === b.state &&
    a.since === b.since &&
    a.condition === b.condition &&
    a.conditionSince === b.conditionSince &&
    a.active === b.active &&
    a.activatedAt === b.activatedAt &&
    a.shelvedUntil === b.shelvedUntil &&
    a.outOfService === b.outOfService &&
    a.suppressed === b.suppressed
  )
}
