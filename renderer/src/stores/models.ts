import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  CompareModelsResult,
  DetectionSettings,
  Explanation,
  ModelSummary,
  Params,
  Sensor,
  TrainingDefaults,
  TrainingProgress,
} from '@vigil/contract'
import { ApiError, api, on } from '../api/client'
import { isModelSensor } from '../lib/model-ids'
import { isRunning } from '../lib/model-progress'

/** What became of a call: the host's `issues` name the fields it refused. */
export type Outcome<T> =
  { ok: true; result: T } | { ok: false; message: string; issues: readonly string[] }

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

async function send<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, result: await run() }
  } catch (err) {
    const issues = err instanceof ApiError && err.code === 'INVALID_PARAMS' ? err.issues : []
    return { ok: false, message: message(err), issues }
  }
}

/** The stored model versions, the training run under way (or the last one), and their actions. */
export const useModelsStore = defineStore('models', () => {
  const defaults = shallowRef<TrainingDefaults | null>(null)
  const sensors = shallowRef<Sensor[]>([])
  const list = shallowRef<ModelSummary[]>([])
  const training = shallowRef<TrainingProgress | null>(null)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  let stopEvents: (() => void) | null = null

  const active = computed(() => list.value.find((m) => m.active) ?? null)
  const running = computed(() => (training.value ? isRunning(training.value.state) : false))

  async function loadList(): Promise<void> {
    list.value = (await api.listModels()).slice().sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Everything the page shows; a part that fails says so without hiding the others. */
  async function load(): Promise<void> {
    error.value = null
    const [d, s, l, tr] = await Promise.allSettled([
      api.getTrainingDefaults(),
      api.listSensors(),
      loadList(),
      api.getTraining(),
    ])
    if (d.status === 'fulfilled') defaults.value = d.value
    if (s.status === 'fulfilled') sensors.value = s.value.filter((x) => !isModelSensor(x.id))
    // A `training` event may have arrived while this was on its way; it is the newer one.
    if (tr.status === 'fulfilled' && (!training.value || !tr.value)) training.value = tr.value
    const failed = [d, s, l, tr].find((r) => r.status === 'rejected')
    if (failed?.status === 'rejected') error.value = message(failed.reason)
    loaded.value = true
  }

  function onTraining(progress: TrainingProgress): void {
    const before = training.value
    training.value = progress
    // A finished run is a new version in the list (and maybe the active one).
    if (progress.state === 'done' && before?.state !== 'done') void loadList().catch(() => {})
  }

  function watch(): () => void {
    stopEvents ??= on('training', onTraining)
    return () => {
      stopEvents?.()
      stopEvents = null
    }
  }

  async function start(params: Params<'startTraining'>): Promise<Outcome<TrainingProgress>> {
    const outcome = await send(() => api.startTraining(params))
    if (outcome.ok) training.value = outcome.result
    return outcome
  }

  async function cancel(): Promise<Outcome<TrainingProgress>> {
    const jobId = training.value?.jobId
    if (!jobId) return { ok: false, message: 'No training is running.', issues: [] }
    const outcome = await send(() => api.cancelTraining(jobId))
    if (outcome.ok) training.value = outcome.result
    return outcome
  }

  /** Runs an action that changes the stored models, then reads the list again. */
  async function change<T>(run: () => Promise<T>): Promise<Outcome<T>> {
    const outcome = await send(run)
    await loadList().catch((err: unknown) => {
      error.value = message(err)
    })
    return outcome
  }

  const activate = (id: number) => change(() => api.activateModel(id))
  const deactivate = () => change(() => api.deactivateModel())
  const remove = (id: number) => change(() => api.deleteModel(id))
  const setDetection = (id: number, detection: DetectionSettings) =>
    change(() => api.setDetection({ id, detection }))

  const compare = (candidateId: number, from: number, to: number) =>
    send<CompareModelsResult>(() => api.compareModels({ candidateId, from, to }))
  const explain = (t: number, modelId?: number) =>
    send<Explanation>(() => api.explainWindow(modelId === undefined ? { t } : { t, modelId }))

  return {
    defaults,
    sensors,
    list,
    training,
    loaded,
    error,
    active,
    running,
    load,
    loadList,
    watch,
    start,
    cancel,
    activate,
    deactivate,
    remove,
    setDetection,
    compare,
    explain,
  }
})
