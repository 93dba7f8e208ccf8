import type { LossPoint, StartTrainingParams, TrainingProgress } from '../../contract'
import { ModelWorkerClient, TrainingFailed } from '../worker/model-worker-client'
import type { TrainedModel } from '../worker/protocol'
import type { Matrix } from '../windows'

/** Progress events at most this often (the last one of a run is always sent). */
const PROGRESS_EVERY_MS = 250

export interface TrainingJobHooks {
  now: () => number
  /** Each change of the run's state, throttled during batches. */
  onProgress: (p: TrainingProgress) => void
}

/**
 * One training run in its own worker thread (ended with the run, so its memory goes back to the
 * system). Follows the worker's progress into a {@link TrainingProgress}.
 */
export class TrainingJob {
  readonly progress: TrainingProgress
  private client: ModelWorkerClient | null = null
  private lastSent = 0
  private cancelRequested = false

  constructor(
    readonly jobId: string,
    readonly params: StartTrainingParams,
    private readonly hooks: TrainingJobHooks,
  ) {
    this.progress = {
      jobId,
      name: params.name,
      state: 'preparing',
      startedAt: hooks.now(),
      epoch: 0,
      epochs: params.options.epochs,
      batch: 0,
      batches: 0,
      loss: null,
      valLoss: null,
      etaMs: null,
      history: [],
      windows: 0,
      error: null,
      modelId: null,
    }
  }

  get running(): boolean {
    return !['done', 'failed', 'cancelled'].includes(this.progress.state)
  }

  /** Trains on `matrix` (raw values on the model's grid); resolves with the model and the backend. */
  async run(matrix: Matrix): Promise<{ model: TrainedModel; backend: string }> {
    const client = new ModelWorkerClient()
    this.client = client
    try {
      const backend = await client.ready
      if (this.cancelRequested) throw new TrainingFailed('cancelled', 'Training was cancelled.')
      this.update({ state: 'training' }, true)
      const model = await client.train(this.jobId, matrix, this.params.spec, this.params.options, {
        onProgress: (p) =>
          this.update({
            epoch: p.epoch,
            epochs: p.epochs,
            batch: p.batch,
            batches: p.batches,
            loss: p.loss,
            valLoss: p.valLoss ?? this.progress.valLoss,
            etaMs: p.etaMs,
          }),
        onEpoch: (point: LossPoint) =>
          this.update({ history: [...this.progress.history, point], valLoss: point.valLoss }, true),
      })
      this.progress.windows = model.metrics.trainWindows + model.metrics.valWindows
      return { model, backend }
    } finally {
      this.client = null
      void client.terminate()
    }
  }

  cancel(): void {
    this.cancelRequested = true
    this.client?.cancel(this.jobId)
  }

  update(change: Partial<TrainingProgress>, force = false): void {
    Object.assign(this.progress, change)
    const now = this.hooks.now()
    if (force || !this.running || now - this.lastSent >= PROGRESS_EVERY_MS) {
      this.lastSent = now
      this.hooks.onProgress({ ...this.progress, history: [...this.progress.history] })
    }
  }
}
