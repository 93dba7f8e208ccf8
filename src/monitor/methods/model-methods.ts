import type { ContractMethods } from '../../contract'
import { audit, type MonitorParts } from './parts'

type ModelMethodName =
  | 'getTrainingDefaults'
  | 'startTraining'
  | 'cancelTraining'
  | 'getTraining'
  | 'listModels'
  | 'activateModel'
  | 'deactivateModel'
  | 'deleteModel'
  | 'setDetection'
  | 'explainWindow'
  | 'compareModels'

/** Training, model versions and their detection settings; explanations and comparisons. */
export function modelMethods(m: MonitorParts): Pick<ContractMethods, ModelMethodName> {
  const activeId = () => m.models.list().find((x) => x.active)?.id ?? null
  const find = (id: number) => m.models.list().find((x) => x.id === id) ?? null
  return {
    getTrainingDefaults: async () => m.models.defaults(),
    startTraining: async (params, ctx) => {
      // Samples still in the batcher belong to the training range.
      m.batcher.flush()
      const progress = await m.models.startTraining(params)
      audit(m, ctx, {
        action: 'training-started',
        target: `training:${progress.jobId}`,
        after: {
          name: params.name,
          sensorIds: params.spec.sensorIds,
          from: params.from,
          to: params.to,
        },
      })
      return progress
    },
    cancelTraining: async ({ jobId }, ctx) => {
      const progress = await m.models.cancelTraining(jobId)
      audit(m, ctx, { action: 'training-cancelled', target: `training:${jobId}` })
      return progress
    },
    getTraining: async () => m.models.training(),
    listModels: async () => m.models.list(),
    activateModel: async ({ id }, ctx) => {
      const before = activeId()
      const model = await m.models.activate(id)
      audit(m, ctx, { action: 'model-activated', target: `model:${id}`, before, after: id })
      return model
    },
    deactivateModel: async (_, ctx) => {
      const before = activeId()
      const models = await m.models.deactivate()
      audit(m, ctx, { action: 'model-deactivated', target: 'model', before })
      return models
    },
    deleteModel: async ({ id }, ctx) => {
      const before = find(id)
      m.models.delete(id)
      const summary = before && { name: before.name, createdAt: before.createdAt }
      audit(m, ctx, { action: 'model-deleted', target: `model:${id}`, before: summary })
      return { id }
    },
    setDetection: async (params, ctx) => {
      const before = find(params.id)?.detection ?? null
      const model = await m.models.setDetection(params.id, params.detection)
      audit(m, ctx, {
        action: 'detection-changed',
        target: `model:${params.id}`,
        before,
        after: model.detection,
      })
      return model
    },
    explainWindow: async (params) => {
      m.batcher.flush()
      return m.models.explain(params.modelId, params.t)
    },
    compareModels: async (params) => {
      m.batcher.flush()
      return m.models.compare(params.candidateId, params)
    },
  }
}
