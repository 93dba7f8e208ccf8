// A trained model as plain data: JSON-able parts plus one byte blob, so it can be stored in SQLite
// (JSON + BLOB) and sent to or from a worker with postMessage (structured clone, no classes).
import * as tf from '@tensorflow/tfjs'
import { z } from 'zod'
import { modelSpecSchema, type ModelSpec } from '../contract'
import type { ScalerParams } from './scaler'
// The custom layers must be registered before a topology that names them is deserialized.
import './attention-layer'
import './layer-norm'
import './positional-encoding'

/** What {@link serializeModel} produces: the network alone. */
export interface SerializedModel {
  /** The Keras-style topology JSON (model.toJSON without the string round trip). */
  topology: object
  weightSpecs: tf.io.WeightsManifestEntry[]
  /** All weights, in the order of `weightSpecs`. */
  weightData: Uint8Array
}

/** A trained model and everything needed to score with it. */
export interface ModelArtifact extends SerializedModel {
  spec: ModelSpec
  scaler: ScalerParams
}

const weightSpecSchema = z
  .object({
    name: z.string(),
    shape: z.array(z.number().int().nonnegative()),
    dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
  })
  .loose()

/** Checks an artifact read back from storage or received from another thread. */
export const modelArtifactSchema = z.object({
  spec: modelSpecSchema,
  scaler: z.object({
    center: z.array(z.number()),
    scale: z.array(z.number().positive()),
  }),
  topology: z.record(z.string(), z.unknown()),
  weightSpecs: z.array(weightSpecSchema),
  weightData: z.instanceof(Uint8Array),
})

/** Validates unknown data as a {@link ModelArtifact}; throws with the schema's issues. */
export function parseModelArtifact(data: unknown): ModelArtifact {
  const parsed = modelArtifactSchema.parse(data)
  if (parsed.scaler.center.length !== parsed.spec.sensorIds.length) {
    throw new Error('the scaler does not match the number of sensors of the model')
  }
  return parsed as ModelArtifact
}

/** Captures a model's topology and weights as plain data. */
export async function serializeModel(model: tf.LayersModel): Promise<SerializedModel> {
  let saved: tf.io.ModelArtifacts | null = null
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  const artifacts = saved as tf.io.ModelArtifacts | null
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('the model could not be serialized')
  }
  // tfjs 4.22 may hand the weights over as several buffers.
  const data = artifacts.weightData
  const buffer = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data
  return {
    topology: artifacts.modelTopology as object,
    weightSpecs: artifacts.weightSpecs,
    weightData: new Uint8Array(buffer.slice(0)),
  }
}

/** Rebuilds the model of an artifact (the custom attention layer included). */
export async function loadModel(artifact: SerializedModel): Promise<tf.LayersModel> {
  const bytes = artifact.weightData
  // A view into a larger buffer (SQLite, structured clone) must become a buffer of its own.
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifact.topology,
      weightSpecs: artifact.weightSpecs,
      weightData: weightData as ArrayBuffer,
    }),
  )
}
