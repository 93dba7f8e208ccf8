import { z } from 'zod'
import { integritySchema, recoveryNoticeSchema } from './storage-schemas'

/** Epoch milliseconds, UTC. */
const epochMs = z.number().int().nonnegative()

export const sensorIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')

export const sensorSchema = z.object({
  id: sensorIdSchema,
  name: z.string(),
  /** Names in other languages, by locale (e.g. `zh-CN`). */
  localizedNames: z.record(z.string(), z.string()),
  unit: z.string(),
  sourceId: z.string(),
  /** The normal operating range, for context beside the value. */
  normalMin: z.number().nullable(),
  normalMax: z.number().nullable(),
  /** Nominal sampling period in milliseconds, used to tell a gap from a slow sensor. */
  periodMs: z.number().positive(),
  decimals: z.number().int().min(0).max(6),
})
export type Sensor = z.infer<typeof sensorSchema>

export const backendSchema = z.enum(['tfjs-node', 'wasm', 'cpu', 'pending', 'unavailable'])
export type BackendName = z.infer<typeof backendSchema>

export const sourceStateSchema = z.enum(['starting', 'running', 'reconnecting', 'stopped', 'error'])

export const sourceStatusSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  state: sourceStateSchema,
  samplesPerS: z.number(),
  lastSampleAt: epochMs.nullable(),
  lastError: z.string().nullable(),
  /** Modbus: each slave on the line and whether it answers (one that does not is probed slowly). */
  slaves: z.array(z.object({ slaveId: z.number().int(), answering: z.boolean() })).optional(),
  /** Sensors whose device does not answer: shown as "no answer" rather than as a value. */
  noAnswer: z.array(z.string()).optional(),
})
export type SourceStatus = z.infer<typeof sourceStatusSchema>

export const demoFaultSchema = z.enum(['none', 'valve-closing', 'bearing-wear'])
export type DemoFault = z.infer<typeof demoFaultSchema>

export const demoStateSchema = z.object({
  fault: demoFaultSchema,
  /** When the current fault was triggered; null when none is active. */
  since: epochMs.nullable(),
})
export type DemoState = z.infer<typeof demoStateSchema>

export const statusSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'server', 'test']),
  backend: backendSchema,
  startedAt: epochMs,
  now: epochMs,
  dataDir: z.string(),
  sensors: z.number().int(),
  sources: z.array(sourceStatusSchema),
  demo: demoStateSchema.nullable(),
  storage: z.object({
    dbBytes: z.number().int(),
    samplesWritten: z.number().int(),
    lastWriteAt: epochMs.nullable(),
    /** Set when a damaged database was found at start-up and set aside. */
    recovery: recoveryNoticeSchema.nullable(),
    integrity: integritySchema,
  }),
})
export type Status = z.infer<typeof statusSchema>

export const emptyParamsSchema = z.object({}).strict()

/** At most a year-long window of raw data per call is never needed; 20k points is plenty. */
export const MAX_POINTS_LIMIT = 20_000

export const querySeriesParamsSchema = z
  .object({
    sensorIds: z.array(sensorIdSchema).min(1).max(64),
    from: epochMs,
    to: epochMs,
    maxPoints: z.number().int().min(2).max(MAX_POINTS_LIMIT),
  })
  .strict()
  .refine((p) => p.to > p.from, { message: '"to" must be after "from"', path: ['to'] })
export type QuerySeriesParams = z.infer<typeof querySeriesParamsSchema>

/**
 * One sensor's answer. `raw`: every stored sample in [from, to). `minmax`: buckets of `bucketMs`,
 * each drawn as two points (its minimum and maximum, in the order they happened) at the bucket
 * start and mid-bucket. The buckets line up with the stored 1-minute or 1-hour rollups, so the
 * first may start up to one rollup bucket before `from`; its start is the first time given.
 */
export const seriesSchema = z.object({
  sensorId: z.string(),
  resolution: z.enum(['raw', 'minmax']),
  bucketMs: z.number().int().nonnegative(),
  t: z.array(z.number()),
  /** `null` marks a gap: no data there, to be drawn as a break, never interpolated. */
  v: z.array(z.number().nullable()),
})
export type Series = z.infer<typeof seriesSchema>

export const querySeriesResultSchema = z.object({
  from: epochMs,
  to: epochMs,
  series: z.array(seriesSchema),
})
export type QuerySeriesResult = z.infer<typeof querySeriesResultSchema>

export const setDemoFaultParamsSchema = z.object({ fault: demoFaultSchema }).strict()
export type SetDemoFaultParams = z.infer<typeof setDemoFaultParamsSchema>

/**
 * A batch of samples, columnar: sample i is (sensorIds[i], t[i], values[i]). Batched by the
 * core (about 250 ms) so no transport ever carries one message per sample.
 */
export const sampleBatchSchema = z
  .object({
    sensorIds: z.array(z.string()),
    t: z.array(z.number()),
    values: z.array(z.number()),
  })
  .refine((b) => b.t.length === b.sensorIds.length && b.values.length === b.sensorIds.length, {
    message: 'sensorIds, t and values must have the same length',
  })
export type SampleBatch = z.infer<typeof sampleBatchSchema>
