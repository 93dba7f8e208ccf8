import type { BackendName, LossPoint, ModelSpec, TrainingOptions } from '../../contract'
import type { ModelArtifact } from '../model-artifact'
import type {
  TrainingProgressPoint as BatchProgress,
  TrainingResult as TrainedModel,
} from '../train-model'
import type { Matrix } from '../windows'
import type { WindowExplanation, WindowScores } from '../window-scorer'

export type {
  TrainingProgressPoint as BatchProgress,
  TrainingResult as TrainedModel,
} from '../train-model'
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
