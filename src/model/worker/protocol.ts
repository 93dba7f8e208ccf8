import type { BackendName, LossPoint, ModelSpec, TrainingOptions } from '../../contract'
import type { ModelArtifact } from '../model-artifact'
import type { Matrix } from '../windows'
import type { WindowExplanation, WindowScores } from '../window-scorer'

/** Training progress inside an epoch. */
export interface BatchProgress {
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number | null
  valLoss: number | null
  etaMs: number | null
}

export interface TrainMetrics {
  trainLoss: number
  valLoss: number
  epochsRun: number
  trainWindows: number
  valWindows: number
  durationMs: number
  parameters: number
}

export interface TrainedModel {
  artifact: ModelArtifact
  validationScores: Float32Array
  history: LossPoint[]
  metrics: TrainMetrics
}

export type { WindowExplanation, WindowScores } from '../window-scorer'

/** Messages to a model worker. */
export type ToWorker =
  | { type: 'train'; jobId: string; matrix: Matrix; spec: ModelSpec; options: TrainingOptions }
  | { type: 'cancel'; jobId: string }
  | { type: 'load'; reqId: number; key: number; artifact: ModelArtifact }
  | { type: 'unload'; key: number }
  /** Scores every window ending at rows windowSize-1 … rows-1 of `matrix` (raw units). */
  | { type: 'score'; reqId: number; key: number; matrix: Matrix }
  | { type: 'explain'; reqId: number; key: number; matrix: Matrix }

/** Messages from a model worker. */
export type FromWorker =
  | { type: 'ready'; backend: BackendName }
  | { type: 'progress'; jobId: string; progress: BatchProgress }
  | { type: 'epoch'; jobId: string; point: LossPoint }
  | { type: 'trained'; jobId: string; result: TrainedModel }
  | { type: 'train-failed'; jobId: string; reason: 'data' | 'cancelled' | 'error'; message: string }
  | { type: 'result'; reqId: number; value: WindowScores | WindowExplanation | null }
  | { type: 'error'; reqId: number; message: string }
