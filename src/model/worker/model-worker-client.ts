import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { BackendName, LossPoint, ModelSpec, TrainingOptions } from '../../contract'
import type { ModelArtifact } from '../model-artifact'
import type { Matrix } from '../windows'
import type {
  BatchProgress,
  FromWorker,
  ToWorker,
  TrainedModel,
  WindowExplanation,
  WindowScores,
} from './protocol'

/** Why a training run ended without a model. */
export class TrainingFailed extends Error {
  constructor(
    readonly reason: 'data' | 'cancelled' | 'error',
    message: string,
  ) {
    super(message)
    this.name = 'TrainingFailed'
  }
}

export interface TrainHooks {
  onProgress?: (p: BatchProgress) => void
  onEpoch?: (p: LossPoint) => void
}

interface Pending {
  resolve: (value: WindowScores | WindowExplanation | null) => void
  reject: (err: Error) => void
}

interface Training {
  hooks: TrainHooks
  resolve: (m: TrainedModel) => void
  reject: (err: Error) => void
}

/**
 * How a worker is started: the built bundle ships `model-worker.js` beside the main bundle;
 * from sources (tsx, Vitest) the TypeScript entry is loaded through tsx's loader.
 */
function spawnWorker(): Worker {
  const here = import.meta.url
  if (here.endsWith('.js') || here.endsWith('.mjs')) {
    const built = new URL('./model-worker.js', here)
    if (existsSync(fileURLToPath(built))) return new Worker(built)
  }
  const entry = new URL('./model-worker-entry.ts', here).href
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/index\.cjs$/, 'index.mjs'),
  ).href
  const source = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(source, { eval: true })
}

/**
 * One `worker_threads` worker running TensorFlow.js: it trains models and scores windows so the
 * main process (serial reads, IPC, alarm timing) never waits for the network.
 */
export class ModelWorkerClient {
  readonly ready: Promise<BackendName>
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private readonly trainings = new Map<string, Training>()
  private nextReq = 1
  private dead: Error | null = null

  constructor() {
    this.worker = spawnWorker()
    let markReady: (b: BackendName) => void = () => undefined
    let failReady: (err: Error) => void = () => undefined
    this.ready = new Promise<BackendName>((resolve, reject) => {
      markReady = resolve
      failReady = reject
    })
    // A caller that never awaits `ready` must not see an unhandled rejection.
    this.ready.catch(() => undefined)
    this.worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') markReady(msg.backend)
      else this.handle(msg)
    })
    const fail = (err: Error) => {
      this.dead ??= err
      failReady(err)
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
      for (const t of this.trainings.values()) t.reject(new TrainingFailed('error', err.message))
      this.trainings.clear()
    }
    this.worker.on('error', (err) => fail(err))
    this.worker.on('exit', (code) =>
      fail(new Error(`the model worker stopped (exit code ${code})`)),
    )
  }

  get alive(): boolean {
    return this.dead === null
  }

  train(
    jobId: string,
    matrix: Matrix,
    spec: ModelSpec,
    options: TrainingOptions,
    hooks: TrainHooks = {},
  ): Promise<TrainedModel> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new TrainingFailed('error', this.dead.message))
      this.trainings.set(jobId, { hooks, resolve, reject })
      this.post({ type: 'train', jobId, matrix, spec, options }, [
        matrix.values.buffer as ArrayBuffer,
      ])
    })
  }

  cancel(jobId: string): void {
    if (this.dead) return
    this.post({ type: 'cancel', jobId })
  }

  async load(key: number, artifact: ModelArtifact): Promise<void> {
    await this.request((reqId) => ({ type: 'load', reqId, key, artifact }))
  }

  unload(key: number): void {
    if (!this.dead) this.post({ type: 'unload', key })
  }

  /** Scores each window ending at rows windowSize-1 … rows-1 of `matrix` (transferred). */
  async score(key: number, matrix: Matrix): Promise<WindowScores> {
    const value = await this.request(
      (reqId) => ({ type: 'score', reqId, key, matrix }),
      [matrix.values.buffer as ArrayBuffer],
    )
    if (!value || !('count' in value)) throw new Error('the model worker sent no scores')
    return value
  }

  async explain(key: number, matrix: Matrix): Promise<WindowExplanation> {
    const value = await this.request((reqId) => ({ type: 'explain', reqId, key, matrix }))
    if (!value || !('attention' in value)) throw new Error('the model worker sent no explanation')
    return value
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('the model worker was stopped')
    await this.worker.terminate()
  }

  private request(
    make: (reqId: number) => ToWorker,
    transfer: ArrayBuffer[] = [],
  ): Promise<WindowScores | WindowExplanation | null> {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(this.dead)
      const reqId = this.nextReq++
      this.pending.set(reqId, { resolve, reject })
      this.post(make(reqId), transfer)
    })
  }

  private post(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(msg, transfer)
  }

  private handle(msg: Exclude<FromWorker, { type: 'ready' }>): void {
    switch (msg.type) {
      case 'progress':
        this.trainings.get(msg.jobId)?.hooks.onProgress?.(msg.progress)
        return
      case 'epoch':
        this.trainings.get(msg.jobId)?.hooks.onEpoch?.(msg.point)
        return
      case 'trained': {
        const t = this.trainings.get(msg.jobId)
        this.trainings.delete(msg.jobId)
        t?.resolve(msg.result)
        return
      }
      case 'train-failed': {
        const t = this.trainings.get(msg.jobId)
        this.trainings.delete(msg.jobId)
        t?.reject(new TrainingFailed(msg.reason, msg.message))
        return
      }
      case 'result':
      case 'error': {
        const p = this.pending.get(msg.reqId)
        this.pending.delete(msg.reqId)
        if (msg.type === 'result') p?.resolve(msg.value)
        else p?.reject(new Error(msg.message))
      }
    }
  }
}
