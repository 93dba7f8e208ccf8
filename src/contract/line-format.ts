import { z } from 'zod'
import { sensorIdSchema } from './schemas'

/** Where a line's own time stamp is and how it is written; absent: the host stamps arrival time. */
const timestampSchema = z.object({
  format: z.enum(['epoch-ms', 'epoch-s', 'iso']),
})

const maxLineLength = z.number().int().min(16).max(65_536).default(1024)

/** `12.5,3.1,40` — values by column position. */
export const csvFormatSchema = z.object({
  kind: z.literal('csv'),
  delimiter: z.enum([',', ';', '\t', ' ']).default(','),
  /** Column index (0-based) → sensor. */
  columns: z
    .array(z.object({ index: z.number().int().min(0).max(255), sensorId: sensorIdSchema }))
    .min(1),
  timestamp: timestampSchema.extend({ index: z.number().int().min(0).max(255) }).optional(),
  maxLineLength,
})

/** `{"p": 4.2, "t": 61.0}` — values by field name. */
export const jsonFormatSchema = z.object({
  kind: z.literal('json'),
  fields: z.record(z.string().min(1), sensorIdSchema),
  timestamp: timestampSchema.extend({ field: z.string().min(1) }).optional(),
  maxLineLength,
})

/** `p=4.2 t=61.0` — values by key. */
export const keyValueFormatSchema = z.object({
  kind: z.literal('kv'),
  pairSeparator: z.enum([' ', ',', ';', '&']).default(' '),
  keyValueSeparator: z.enum(['=', ':']).default('='),
  keys: z.record(z.string().min(1), sensorIdSchema),
  timestamp: timestampSchema.extend({ key: z.string().min(1) }).optional(),
  maxLineLength,
})

export const lineFormatSchema = z.discriminatedUnion('kind', [
  csvFormatSchema,
  jsonFormatSchema,
  keyValueFormatSchema,
])
export type LineFormat = z.output<typeof lineFormatSchema>
export type LineFormatInput = z.input<typeof lineFormatSchema>
