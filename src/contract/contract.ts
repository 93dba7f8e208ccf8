import { z } from 'zod'
import type { Envelope } from './errors'
import type { EventName, MethodName } from './names'
import {
  demoStateSchema,
  emptyParamsSchema,
  querySeriesParamsSchema,
  querySeriesResultSchema,
  sampleBatchSchema,
  sensorSchema,
  setDemoFaultParamsSchema,
  statusSchema,
} from './schemas'
import {
  backupParamsSchema,
  backupResultSchema,
  storageInfoSchema,
  storageSettingsSchema,
} from './storage-schemas'

/** Every method: the schema of its parameters and of its result. */
export const methods = {
  getStatus: { params: emptyParamsSchema, result: statusSchema },
  listSensors: { params: emptyParamsSchema, result: z.array(sensorSchema) },
  querySeries: { params: querySeriesParamsSchema, result: querySeriesResultSchema },
  setDemoFault: { params: setDemoFaultParamsSchema, result: demoStateSchema },
  getStorage: { params: emptyParamsSchema, result: storageInfoSchema },
  setStorageSettings: { params: storageSettingsSchema, result: storageInfoSchema },
  backupNow: { params: backupParamsSchema, result: backupResultSchema },
} as const satisfies Record<MethodName, { params: z.ZodType; result: z.ZodType }>

/** Every event and the schema of its payload. */
export const events = {
  samples: sampleBatchSchema,
  status: statusSchema,
} as const satisfies Record<EventName, z.ZodType>

export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

/** What the core implements: one async function per method. */
export type ContractMethods = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> }

/** What a transport exposes to the renderer (the preload's `window.vigil`, the WebSocket client). */
export interface ContractTransport {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Envelope<Result<M>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}
