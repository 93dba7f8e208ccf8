import {
  RAW_SCORE_SENSOR_ID,
  SCORE_SENSOR_ID,
  VigilError,
  detectionSettingsSchema,
  expectedSensorId,
  modelSpecSchema,
  trainingOptionsSchema,
  type CompareModelsResult,
  type DetectionSettings,
  type Explanation,
  type ModelSummary,
  type SampleBatch,
  type ScoreBatch,
  type Sensor,
  type StartTrainingParams,
  type TrainingDefaults,
  type TrainingProgress,
} from '../../contract'
import type { Historian } from '../../historian/historian'
import type { Sample } from '../../ingest/sample'
import type { Logger } from '../../log/logger'
import { referenceOf, runPipeline, ScorePipeline } from '../detection/score-pipeline'
import { parseModelArtifact, type ModelArtifact } from '../model-artifact'
import { calibrateThreshold } from '../threshold/calibrate-threshold'
import { fillGaps, type Matrix } from '../windows'
import { ModelWorkerClient, TrainingFailed } from '../worker/model-worker-client'
import type { TrainedModel } from '../worker/protocol'
import { commonPeriodMs, readHistoryMatrix, type TimeRange } from './history-matrix'
import { LiveScoring } from './live-scoring'
import { quantile, thresholdOf, toModelSummary } from './model-summary'
import { TrainingJob } from './training-job'

export interface ModelServiceOptions {
  historian: Historian
  now: () => number
  log: Logger
  /** Samples the service produces (scores, expected values), into the normal write path. */
  store: (samples: Sample[]) => void
  onTraining: (p: TrainingProgress) => void
  onScores: (b: ScoreBatch) => void
}

/** Short gaps bridged when reading history for training, explaining and comparing. */
const HISTORY_MAX_GAP_ROWS = 5

const SPEC_DEFAULTS = { windowSize: 32, dModel: 32, attention: 'multi-head', heads: 4 } as const

/**
 * The anomaly models of an installation: trains them in worker threads, keeps every version in
 * the database, scores live data with the active one, explains and compares. All TensorFlow.js
 * work happens in workers; this class only moves data and decisions.
 */
export class ModelService {
  private job: TrainingJob | null = null
  /** The name of a run whose data is being read (before it becomes `job`). */
  private preparing: string | null = null
  private scorer: ModelWorkerClient | null = null
  /** The model versions loaded in the scoring worker. */
  private readonly loaded = new Set<number>()
  private live: LiveScoring | null = null
  private jobCount = 0
  private closed = false

  constructor(private readonly o: ModelServiceOptions) {}

  /** Starts scoring with the model that was active when the app last ran. */
  async resume(): Promise<void> {
    const id = this.o.historian.modelStore.activeId()
    if (id === null) return
    try {
      await this.startLive(id)
      this.o.log.info(`model ${id} scoring live data`)
    } catch (err) {
      this.o.log.error(`the active model ${id} could not be loaded; live scoring is off`, err)
    }
  }

  defaults(): TrainingDefaults {
    return {
      spec: { ...SPEC_DEFAULTS },
      options: trainingOptionsSchema.parse({}),
      detection: detectionSettingsSchema.parse({}),
    }
  }

  list(): ModelSummary[] {
    return this.o.historian.modelStore.list().flatMap((h) => {
      try {
        return [toModelSummary(h)]
      } catch (err) {
        this.o.log.warn(`stored model ${h.id} is not readable; it is left out`, err)
        return []
      }
    })
  }

  summary(id: number): ModelSummary {
    const head = this.o.historian.modelStore.head(id)
    if (!head) throw new VigilError('NOT_FOUND', `There is no model ${id}.`)
    return toModelSummary(head)
  }

  training(): TrainingProgress | null {
    return this.job ? { ...this.job.progress, history: [...this.job.progress.history] } : null
  }

  /** Checks the request, reads the history and starts the run; progress comes as events. */
  async startTraining(params: StartTrainingParams): Promise<TrainingProgress> {
    const busy = this.job?.running ? this.job.progress.name : this.preparing
    if (busy !== null) {
      throw new VigilError(
        'NOT_AVAILABLE',
        `"${busy}" is still training; cancel it or wait for it to end.`,
      )
    }
    this.preparing = params.name
    try {
      return await this.prepareAndStart(params)
    } finally {
      this.preparing = null
    }
  }

  private async prepareAndStart(params: StartTrainingParams): Promise<TrainingProgress> {
    const sensors = this.sensorsOf(params.spec.sensorIds)
    const periodMs = commonPeriodMs(sensors.map((s) => s.periodMs))
    const flagged = params.excludeFlagged
      ? this.flaggedPeriods(params, params.spec.windowSize * periodMs)
      : []
    const matrix = fillGaps(
      await readHistoryMatrix(this.o.historian, params.spec.sensorIds, params, periodMs, [
        ...params.exclude,
        ...flagged,
      ]),
      HISTORY_MAX_GAP_ROWS,
    )
    const complete = countCompleteRows(matrix)
    const needed = params.spec.windowSize * 4
    if (complete < needed) {
      throw new VigilError(
        'INVALID_PARAMS',
        `Too little data to train: the range holds ${complete} complete time steps of the chosen sensors (every ${periodMs / 1000} s); at least ${needed} are needed (4 windows of ${params.spec.windowSize}). Choose a longer range or fewer sensors.`,
        [`from: only ${complete} complete time steps in this range; at least ${needed} needed`],
      )
    }
    const jobId = `train-${this.o.now()}-${++this.jobCount}`
    const job = new TrainingJob(jobId, params, {
      now: this.o.now,
      onProgress: (p) => this.o.onTraining(p),
    })
    this.job = job
    job.update({ windows: 0 }, true)
    void this.runJob(job, matrix, periodMs)
    return this.training() as TrainingProgress
  }

  cancelTraining(jobId: string): TrainingProgress {
    if (!this.job || this.job.jobId !== jobId) {
      throw new VigilError('NOT_FOUND', `There is no training run ${jobId}.`)
    }
    if (this.job.running) this.job.cancel()
    return this.training() as TrainingProgress
  }

  async activate(id: number): Promise<ModelSummary> {
    const summary = this.summary(id)
    await this.startLive(id)
    this.o.historian.modelStore.setActive(id)
    this.o.log.info(`model ${id} "${summary.name}" activated`)
    return this.summary(id)
  }

  deactivate(): ModelSummary[] {
    this.stopLive()
    this.o.historian.modelStore.setActive(null)
    this.o.log.info('no model active: live scoring stopped')
    return this.list()
  }

  delete(id: number): void {
    const head = this.o.historian.modelStore.head(id)
    if (!head) throw new VigilError('NOT_FOUND', `There is no model ${id}.`)
    if (head.active) {
      throw new VigilError(
        'NOT_AVAILABLE',
        `"${head.name}" is the active model; activate another one or deactivate it before deleting it.`,
      )
    }
    this.o.historian.modelStore.delete(id)
    // A version loaded for a comparison or an explanation leaves the scoring worker too.
    if (this.loaded.delete(id)) this.scorer?.unload(id)
    this.o.log.info(`model ${id} "${head.name}" deleted`)
  }

  /** New threshold settings: the threshold is recalibrated from the stored validation scores. */
  setDetection(id: number, detection: DetectionSettings): ModelSummary {
    const body = this.o.historian.modelStore.body(id)
    if (!body) throw new VigilError('NOT_FOUND', `There is no model ${id}.`)
    const calibrated = calibrateThreshold(body.validationScores, detection, { consecutive: true })
      .details.calibrated
    this.o.historian.modelStore.setDetection(id, detection, calibrated)
    if (this.live?.modelId === id)
      this.live.setDetection(thresholdOf(calibrated, detection), detection)
    return this.summary(id)
  }

  async explain(modelId: number | undefined, t: number): Promise<Explanation> {
    const id = modelId ?? this.o.historian.modelStore.activeId()
    if (id === null || id === undefined) {
      throw new VigilError('NOT_AVAILABLE', 'No model is active: choose a model to explain with.')
    }
    const summary = this.summary(id)
    const head = this.o.historian.modelStore.head(id)
    const periodMs = head?.periodMs ?? 1000
    const w = summary.spec.windowSize
    const endRow = Math.floor(t / periodMs) * periodMs
    const range = { from: endRow - (w - 1) * periodMs, to: endRow + periodMs }
    const m = fillGaps(
      await readHistoryMatrix(this.o.historian, summary.spec.sensorIds, range, periodMs),
      HISTORY_MAX_GAP_ROWS,
    )
    if (m.rows !== w || m.values.some(Number.isNaN)) {
      throw new VigilError(
        'NOT_AVAILABLE',
        'There is no complete window of data of the model’s sensors at that time.',
      )
    }
    const worker = await this.ensureLoaded(id)
    const e = await worker.explain(id, { rows: m.rows, cols: m.cols, values: m.values.slice() })
    const actual: number[][] = []
    for (let r = 0; r < m.rows; r++)
      actual.push(Array.from(m.values.subarray(r * m.cols, (r + 1) * m.cols)))
    return {
      modelId: id,
      sensorIds: summary.spec.sensorIds,
      t: Array.from({ length: w }, (_, i) => range.from + i * periodMs),
      score: e.score,
      threshold: summary.threshold,
      contributions: e.contributions,
      attention: e.attention,
      actual,
      expected: e.expected,
    }
  }

  async compare(candidateId: number, range: TimeRange): Promise<CompareModelsResult> {
    const activeId = this.o.historian.modelStore.activeId()
    const candidate = await this.scoreRange(candidateId, range)
    const active =
      activeId !== null && activeId !== candidateId ? await this.scoreRange(activeId, range) : null
    return { from: range.from, to: range.to, active, candidate }
  }

  /** Live samples (every stored batch) go to the active model. */
  onSamples(batch: SampleBatch): void {
    this.live?.push(batch)
  }

  get liveModelId(): number | null {
    return this.live?.modelId ?? null
  }

  async close(): Promise<void> {
    this.closed = true
    this.job?.cancel()
    this.stopLive()
    await this.scorer?.terminate()
    this.scorer = null
  }

  private async runJob(job: TrainingJob, matrix: Matrix, periodMs: number): Promise<void> {
    const p = job.params
    try {
      const { model, backend } = await job.run(matrix)
      if (this.closed) return
      job.update({ state: 'calibrating' }, true)
      const id = this.storeModel(p, model, backend, periodMs)
      job.update({ modelId: id }, true)
      if (p.activate) await this.activate(id)
      job.update({ state: 'done', etaMs: 0 }, true)
      this.o.log.info(`model ${id} "${p.name}" trained (${model.metrics.epochsRun} epochs)`)
    } catch (err) {
      const reason = err instanceof TrainingFailed ? err.reason : 'error'
      const message = err instanceof Error ? err.message : String(err)
      job.update(
        reason === 'cancelled'
          ? { state: 'cancelled', error: null, etaMs: null }
          : { state: 'failed', error: message, etaMs: null },
        true,
      )
      if (reason === 'error') this.o.log.error(`training "${p.name}" failed`, err)
    }
  }

  private storeModel(
    p: StartTrainingParams,
    m: TrainedModel,
    backend: string,
    periodMs: number,
  ): number {
    const calibrated = calibrateThreshold(m.validationScores, p.detection, { consecutive: true })
      .details.calibrated
    return this.o.historian.modelStore.insert({
      name: p.name,
      createdAt: this.o.now(),
      spec: p.spec,
      options: p.options,
      detection: p.detection,
      calibratedThreshold: calibrated,
      periodMs,
      trainedFrom: p.from,
      trainedTo: p.to,
      backend,
      metrics: {
        ...m.metrics,
        valScoreP50: quantile(m.validationScores, 0.5),
        valScoreP99: quantile(m.validationScores, 0.99),
      },
      scaler: m.artifact.scaler,
      topology: m.artifact.topology,
      weightSpecs: m.artifact.weightSpecs,
      weights: m.artifact.weightData,
      validationScores: m.validationScores,
    })
  }

  private artifactOf(id: number): ModelArtifact {
    const head = this.o.historian.modelStore.head(id)
    const body = this.o.historian.modelStore.body(id)
    if (!head || !body) throw new VigilError('NOT_FOUND', `There is no model ${id}.`)
    return parseModelArtifact({
      spec: modelSpecSchema.parse(head.spec),
      scaler: body.scaler,
      topology: body.topology,
      weightSpecs: body.weightSpecs,
      weightData: body.weights,
    })
  }

  private async ensureLoaded(id: number): Promise<ModelWorkerClient> {
    if (!this.scorer || !this.scorer.alive) {
      this.scorer = new ModelWorkerClient()
      this.loaded.clear()
      const backend = await this.scorer.ready
      this.o.log.info(`scoring worker ready (${backend})`)
    }
    if (!this.loaded.has(id)) {
      await this.scorer.load(id, this.artifactOf(id))
      this.loaded.add(id)
    }
    return this.scorer
  }

  private async startLive(id: number): Promise<void> {
    const summary = this.summary(id)
    const head = this.o.historian.modelStore.head(id)
    const worker = await this.ensureLoaded(id)
    this.stopLive()
    const sensors = summary.spec.sensorIds.map((sid) => this.o.historian.sensor(sid))
    this.registerOutputs(summary, sensors, head?.periodMs ?? 1000)
    this.live = new LiveScoring(
      {
        id,
        sensorIds: summary.spec.sensorIds,
        periodMs: head?.periodMs ?? 1000,
        windowSize: summary.spec.windowSize,
        threshold: summary.threshold,
        detection: summary.detection,
        reference: referenceOf(summary.metrics, summary.spec.sensorIds.length),
      },
      worker,
      { emit: this.o.onScores, store: this.o.store, log: this.o.log },
    )
  }

  private stopLive(): void {
    this.live?.stop()
    this.live = null
  }

  /** The score and the expected values are stored as sensors of their own. */
  private registerOutputs(
    summary: ModelSummary,
    sensors: (Sensor | undefined)[],
    periodMs: number,
  ): void {
    const outputs: Sensor[] = [
      {
        id: SCORE_SENSOR_ID,
        name: 'Anomaly score',
        localizedNames: { 'zh-CN': '异常评分' },
        unit: '',
        sourceId: 'model',
        normalMin: null,
        normalMax: summary.threshold,
        periodMs,
        decimals: 4,
      },
      {
        id: RAW_SCORE_SENSOR_ID,
        name: 'Anomaly score (raw)',
        localizedNames: { 'zh-CN': '异常评分（原始）' },
        unit: '',
        sourceId: 'model',
        normalMin: null,
        normalMax: null,
        periodMs,
        decimals: 4,
      },
    ]
    summary.spec.sensorIds.forEach((sid, i) => {
      const s = sensors[i]
      outputs.push({
        id: expectedSensorId(sid),
        name: `${s?.name ?? sid} (expected)`,
        localizedNames: Object.fromEntries(
          Object.entries(s?.localizedNames ?? {}).map(([k, v]) => [k, `${v}（预期）`]),
        ),
        unit: s?.unit ?? '',
        sourceId: 'model',
        normalMin: null,
        normalMax: null,
        periodMs,
        decimals: s?.decimals ?? 2,
      })
    })
    this.o.historian.registerSensors(outputs)
  }

  private async scoreRange(id: number, range: TimeRange) {
    const summary = this.summary(id)
    const head = this.o.historian.modelStore.head(id)
    const periodMs = head?.periodMs ?? 1000
    const m = fillGaps(
      await readHistoryMatrix(this.o.historian, summary.spec.sensorIds, range, periodMs),
      HISTORY_MAX_GAP_ROWS,
    )
    const worker = await this.ensureLoaded(id)
    const scores: number[] = []
    let flagged = 0
    // As live: one pipeline over the range, its baseline starting from the reference.
    const pipeline = new ScorePipeline(
      {
        threshold: summary.threshold,
        detection: summary.detection,
        reference: referenceOf(summary.metrics, summary.spec.sensorIds.length),
        periodMs,
      },
      summary.spec.sensorIds.length,
    )
    // Score each stretch without missing values on its own.
    for (const seg of completeSegments(m, summary.spec.windowSize)) {
      const run = runPipeline(pipeline, await worker.score(id, seg))
      for (let i = 0; i < run.adapted.length; i++) {
        scores.push(run.adapted[i] as number)
        flagged += run.anomalous[i] as number
      }
    }
    return {
      modelId: id,
      windows: scores.length,
      meanScore: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0,
      p99Score: scores.length ? quantile(scores, 0.99) : 0,
      flaggedFraction: scores.length ? flagged / scores.length : 0,
      threshold: summary.threshold,
    }
  }

  /**
   * Where the active model's stored score was above its threshold in `range`, widened by `padMs`
   * on both sides (the windows that led up to it, the settling after it).
   */
  private flaggedPeriods(range: TimeRange, padMs: number): TimeRange[] {
    const id = this.o.historian.modelStore.activeId()
    if (id === null) return []
    const threshold = this.summary(id).threshold
    const out: TimeRange[] = []
    for (const s of this.o.historian.readRange([SCORE_SENSOR_ID], range.from, range.to)) {
      if (!(s.value > threshold)) continue
      const last = out.at(-1)
      if (last && s.t - padMs <= last.to) last.to = s.t + padMs
      else out.push({ from: s.t - padMs, to: s.t + padMs })
    }
    if (out.length) {
      const ms = out.reduce((n, p) => n + p.to - p.from, 0)
      this.o.log.info(
        `training leaves out ${out.length} flagged period(s), ${Math.round(ms / 1000)} s`,
      )
    }
    return out
  }

  private sensorsOf(ids: readonly string[]): Sensor[] {
    const missing = ids.filter((id) => !this.o.historian.sensor(id))
    if (missing.length) {
      throw new VigilError('INVALID_PARAMS', `Unknown sensor(s): ${missing.join(', ')}.`, [
        `spec.sensorIds: unknown sensor(s) ${missing.join(', ')}`,
      ])
    }
    const model = ids.filter((id) => id.startsWith('model:'))
    if (model.length) {
      throw new VigilError('INVALID_PARAMS', 'A model cannot be trained on model outputs.', [
        `spec.sensorIds: ${model.join(', ')} are model outputs`,
      ])
    }
    return ids.map((id) => this.o.historian.sensor(id) as Sensor)
  }
}

function countCompleteRows(m: Matrix): number {
  let n = 0
  for (let r = 0; r < m.rows; r++) {
    let ok = true
    for (let c = 0; c < m.cols; c++) if (Number.isNaN(m.values[r * m.cols + c])) ok = false
    if (ok) n++
  }
  return n
}

/** The runs of complete rows at least one window long, as matrices of their own. */
function* completeSegments(m: Matrix, windowSize: number): Generator<Matrix> {
  let start = 0
  const flush = function* (end: number): Generator<Matrix> {
    if (end - start >= windowSize) {
      yield {
        rows: end - start,
        cols: m.cols,
        values: m.values.slice(start * m.cols, end * m.cols),
      }
    }
  }
  for (let r = 0; r < m.rows; r++) {
    let ok = true
    for (let c = 0; c < m.cols; c++) if (Number.isNaN(m.values[r * m.cols + c])) ok = false
    if (!ok) {
      yield* flush(r)
      start = r + 1
    }
  }
  yield* flush(m.rows)
}
