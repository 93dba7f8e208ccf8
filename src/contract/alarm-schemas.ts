import { z } from 'zod'
import { sensorIdSchema } from './schemas'

const epochMs = z.number().int().nonnegative()

/** Priorities, most urgent first. Their colours are the same on every screen. */
export const ALARM_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const
export const alarmPrioritySchema = z.enum(ALARM_PRIORITIES)
export type AlarmPriority = z.infer<typeof alarmPrioritySchema>

/**
 * ISA-18.2 states (names after OPC UA Part 9 where it has one):
 * - `normal`: the condition is clear and nothing waits for the operator;
 * - `unacked`: active, not yet acknowledged;
 * - `acked`: active and acknowledged;
 * - `rtn-unacked`: returned to normal before anyone acknowledged it;
 * - `latched`: a latching alarm whose condition cleared; stays until acknowledged (reset);
 * - `shelved`: hidden by an operator until an expiry, then it returns by itself;
 * - `suppressed`: hidden by design while its source is out of service or disconnected;
 * - `out-of-service`: taken out of service by an engineer.
 */
export const ALARM_STATES = [
  'normal',
  'unacked',
  'acked',
  'rtn-unacked',
  'latched',
  'shelved',
  'suppressed',
  'out-of-service',
] as const
export const alarmStateSchema = z.enum(ALARM_STATES)
export type AlarmState = z.infer<typeof alarmStateSchema>

export const alarmKindSchema = z.enum(['model', 'limit', 'source'])
export type AlarmKind = z.infer<typeof alarmKindSchema>

/** HH and LL are the outer (trip) limits, H and L the inner (warning) ones. */
export const limitLevelSchema = z.enum(['HH', 'H', 'L', 'LL'])
export type LimitLevel = z.infer<typeof limitLevelSchema>

/** disconnected: port lost or no device answers; stale: no new data; no-answer: one Modbus slave. */
export const sourceConditionSchema = z.enum(['disconnected', 'stale', 'no-answer'])
export type SourceCondition = z.infer<typeof sourceConditionSchema>

export const alarmIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only')

const HOUR_MS = 3_600_000
const delayMs = z.number().int().min(0).max(HOUR_MS)

/** What every kind of alarm has. */
const commonFields = {
  /** Left out when creating: the core derives one from the kind and its target. */
  id: alarmIdSchema.optional(),
  name: z.string().trim().min(1).max(120),
  priority: alarmPrioritySchema,
  /** The condition must hold this long before the alarm activates. */
  onDelayMs: delayMs.default(0),
  /** The condition must stay clear this long before the alarm returns to normal. */
  offDelayMs: delayMs.default(0),
  /** A latching alarm stays annunciated after it clears, until an operator acknowledges it. */
  latch: z.boolean().default(false),
}

/** The active model's smoothed score above its threshold; ranked contributors attached. */
export const modelAlarmDefinitionSchema = z
  .object({
    kind: z.literal('model'),
    ...commonFields,
    /** Fraction of the threshold the score must fall below it before the alarm clears. */
    deadband: z.number().min(0).max(0.9).default(0.1),
  })
  .strict()

/** A sensor's value beyond a limit: above for HH/H, below for L/LL. */
export const limitAlarmDefinitionSchema = z
  .object({
    kind: z.literal('limit'),
    ...commonFields,
    sensorId: sensorIdSchema,
    level: limitLevelSchema,
    limit: z.number().finite(),
    /** In the sensor's unit: how far back inside the limit the value must come to clear. */
    deadband: z.number().min(0).finite().default(0),
  })
  .strict()

/**
 * A source that is disconnected, whose data has stopped arriving, or (`no-answer`) one slave of
 * a Modbus line that stopped answering while the others still do.
 */
export const sourceAlarmDefinitionSchema = z
  .object({
    kind: z.literal('source'),
    ...commonFields,
    sourceId: z.string().min(1).max(128),
    condition: sourceConditionSchema,
    /** For `no-answer`: which slave. */
    slaveId: z.number().int().min(1).max(247).optional(),
    /** For `stale`: no sample for this long. */
    staleAfterMs: z
      .number()
      .int()
      .min(1000)
      .max(24 * HOUR_MS)
      .default(30_000),
  })
  .strict()

export const alarmDefinitionSchema = z.discriminatedUnion('kind', [
  modelAlarmDefinitionSchema,
  limitAlarmDefinitionSchema,
  sourceAlarmDefinitionSchema,
])
/** A definition as sent (id optional, defaults may be left out). */
export type AlarmDefinitionInput = z.input<typeof alarmDefinitionSchema>
/** A definition as the core receives it (defaults filled in, id optional). */
export type AlarmDefinitionFields = z.output<typeof alarmDefinitionSchema>
/** A definition as stored: always with its id. */
export type AlarmDefinition = z.output<typeof alarmDefinitionSchema> & { id: string }
export type ModelAlarmDefinition = z.output<typeof modelAlarmDefinitionSchema> & { id: string }
export type LimitAlarmDefinition = z.output<typeof limitAlarmDefinitionSchema> & { id: string }
export type SourceAlarmDefinition = z.output<typeof sourceAlarmDefinitionSchema> & { id: string }

/**
 * The names the core gives the alarms it creates by itself (types, so the renderer can check its
 * copy): while an engineer has not renamed them, the UI words them in the user's language.
 */
export type BuiltInModelAlarmName = 'Anomaly detected by the model'
/** A source's health alarm is named `<source name><suffix>`. */
export type BuiltInSourceAlarmSuffix = { disconnected: ': disconnected'; stale: ': no new data' }
/** A slave's alarm is named `<source name>: slave <id> not answering`. */
export type BuiltInSlaveAlarmName = `${string}: slave ${number} not answering`

export const contributorSchema = z.object({
  sensorId: z.string(),
  /** Share of the reconstruction error (0..1); the shares of one moment sum to 1. */
  share: z.number(),
})
export type Contributor = z.infer<typeof contributorSchema>

/** One alarm as the operator sees it now: its definition and its live state. */
export const alarmViewSchema = z.object({
  id: z.string(),
  definition: z.union([
    modelAlarmDefinitionSchema.extend({ id: z.string() }),
    limitAlarmDefinitionSchema.extend({ id: z.string() }),
    sourceAlarmDefinitionSchema.extend({ id: z.string() }),
  ]),
  state: alarmStateSchema,
  /** The alarm condition (after delays), also while shelved, suppressed or out of service. */
  active: z.boolean(),
  /** When the alarm entered its current state. */
  since: epochMs,
  /** The last activation; null if it never activated. */
  activatedAt: epochMs.nullable(),
  /** The value (limit), score (model) or age of the data in ms (stale) at the last activation. */
  value: z.number().nullable(),
  ackedBy: z.string().nullable(),
  ackedAt: epochMs.nullable(),
  ackNote: z.string().nullable(),
  shelvedUntil: epochMs.nullable(),
  shelvedBy: z.string().nullable(),
  shelveReason: z.string().nullable(),
  /** Model alarms: the anomaly event of the current or last activation. */
  eventId: z.number().int().nullable(),
  /** Model alarms: the sensors that contributed most, ranked. */
  contributors: z.array(contributorSchema),
})
export type AlarmView = z.infer<typeof alarmViewSchema>

/** Counts for the banner and the navigation badge. */
export const alarmSummarySchema = z.object({
  /** Annunciated and waiting for an acknowledgement (unacked, rtn-unacked, latched). */
  unacked: z.number().int(),
  /** Unacknowledged per priority. */
  unackedByPriority: z.record(alarmPrioritySchema, z.number().int()),
  /** Active and shown (unacked or acked). */
  active: z.number().int(),
  shelved: z.number().int(),
  suppressed: z.number().int(),
  outOfService: z.number().int(),
  /** The most urgent priority among annunciated alarms; null when all is calm. */
  highest: alarmPrioritySchema.nullable(),
})
export type AlarmSummary = z.infer<typeof alarmSummarySchema>

export const alarmListSchema = z.object({
  alarms: z.array(alarmViewSchema),
  summary: alarmSummarySchema,
})
export type AlarmList = z.infer<typeof alarmListSchema>

/** The `alarms` event: the alarms whose state changed, and the new counts. */
export const alarmsEventSchema = z.object({
  t: epochMs,
  changed: z.array(alarmViewSchema),
  /** Ids of definitions deleted since the last event. */
  removed: z.array(z.string()),
  summary: alarmSummarySchema,
})
export type AlarmsEvent = z.infer<typeof alarmsEventSchema>

/** What put a row into the journal. */
export const JOURNAL_CAUSES = [
  'activate',
  'clear',
  'ack',
  'reset',
  'shelve',
  'unshelve',
  'shelve-expired',
  'out-of-service',
  'return-to-service',
  'suppress',
  'unsuppress',
  'definition-saved',
  'definition-deleted',
] as const
export const journalCauseSchema = z.enum(JOURNAL_CAUSES)
export type JournalCause = z.infer<typeof journalCauseSchema>

/** One row of the append-only alarm journal. */
export const journalEntrySchema = z.object({
  seq: z.number().int(),
  t: epochMs,
  alarmId: z.string(),
  alarmName: z.string(),
  priority: alarmPrioritySchema,
  cause: journalCauseSchema,
  from: alarmStateSchema,
  to: alarmStateSchema,
  /** Who did it; null for what the process did. */
  user: z.string().nullable(),
  note: z.string().nullable(),
  value: z.number().nullable(),
  /** The sensor concerned: a limit alarm's sensor, a model alarm's top contributor. */
  sensorId: z.string().nullable(),
})
export type JournalEntry = z.infer<typeof journalEntrySchema>

const noteSchema = z.string().trim().max(500)

export const acknowledgeAlarmsParamsSchema = z
  .object({
    ids: z.array(alarmIdSchema).min(1).max(20_000),
    note: noteSchema.optional(),
  })
  .strict()

export const MAX_SHELVE_MS = 24 * HOUR_MS
export const shelveAlarmParamsSchema = z
  .object({
    id: alarmIdSchema,
    reason: z.string().trim().min(1, 'a reason is required').max(500),
    durationMs: z.number().int().min(60_000).max(MAX_SHELVE_MS),
  })
  .strict()

export const unshelveAlarmParamsSchema = z
  .object({ id: alarmIdSchema, note: noteSchema.optional() })
  .strict()

export const setAlarmServiceParamsSchema = z
  .object({
    id: alarmIdSchema,
    inService: z.boolean(),
    note: noteSchema.optional(),
  })
  .strict()

/** The alarms an action changed, and the new counts. */
export const alarmActionResultSchema = z.object({
  changed: z.array(alarmViewSchema),
  /** Ids the action did not apply to (e.g. acknowledging an alarm that waits for nothing). */
  skipped: z.array(z.string()),
  summary: alarmSummarySchema,
})
export type AlarmActionResult = z.infer<typeof alarmActionResultSchema>

export const saveAlarmDefinitionParamsSchema = z
  .object({ definition: alarmDefinitionSchema })
  .strict()

export const deleteAlarmDefinitionParamsSchema = z.object({ id: alarmIdSchema }).strict()

export const journalQuerySchema = z
  .object({
    from: epochMs,
    to: epochMs,
    priorities: z.array(alarmPrioritySchema).optional(),
    /** Rows that entered one of these states. */
    states: z.array(alarmStateSchema).optional(),
    alarmId: alarmIdSchema.optional(),
    sensorId: sensorIdSchema.optional(),
    /** Newest first; page with `beforeSeq` (the last seq of the previous page). */
    beforeSeq: z.number().int().optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict()
  .refine((p) => p.to > p.from, { message: '"to" must be after "from"', path: ['to'] })
export type JournalQuery = z.output<typeof journalQuerySchema>

export const journalPageSchema = z.object({
  entries: z.array(journalEntrySchema),
  /** Rows matching the filters in the whole range. */
  total: z.number().int(),
})
export type JournalPage = z.infer<typeof journalPageSchema>

export const rangeParamsSchema = z
  .object({ from: epochMs, to: epochMs })
  .strict()
  .refine((p) => p.to > p.from, { message: '"to" must be after "from"', path: ['to'] })

export const anomalyEventSchema = z.object({
  id: z.number().int(),
  alarmId: z.string(),
  modelId: z.number().int(),
  start: epochMs,
  /** Null while the event is still going on. */
  end: epochMs.nullable(),
  peakScore: z.number(),
  peakAt: epochMs,
  threshold: z.number(),
  /** The model's sensors ranked by their share of the error over the event. */
  contributors: z.array(contributorSchema),
})
export type AnomalyEvent = z.infer<typeof anomalyEventSchema>

export const listAnomalyEventsParamsSchema = z
  .object({ from: epochMs, to: epochMs, limit: z.number().int().min(1).max(1000).default(200) })
  .strict()

export const anomalyEventIdParamsSchema = z.object({ id: z.number().int() }).strict()

/** Alarm-system performance over a range, per EEMUA 191 / ISA-18.2. */
export const alarmKpisSchema = z.object({
  from: epochMs,
  to: epochMs,
  /** Annunciated activations in the range. */
  activations: z.number().int(),
  /** Activations per 10 minutes: the average over the range and the busiest 10-minute period. */
  perTenMinutes: z.object({ average: z.number(), peak: z.number().int() }),
  /** 10-minute periods (aligned to `from`) with more than 10 activations. */
  floodPeriods: z.number().int(),
  /** Share of the range's 10-minute periods in flood, in percent. */
  floodPercent: z.number(),
  /** Alarms with 3 or more activations within one minute. */
  chattering: z.array(
    z.object({ alarmId: z.string(), name: z.string(), maxPerMinute: z.number().int() }),
  ),
  /** Alarms active for more than 24 hours (at the end of the range or during it). */
  stale: z.array(z.object({ alarmId: z.string(), name: z.string(), activeMs: z.number() })),
  /** The 10 most frequent alarms. */
  top: z.array(
    z.object({
      alarmId: z.string(),
      name: z.string(),
      priority: alarmPrioritySchema,
      count: z.number().int(),
    }),
  ),
  byPriority: z.record(alarmPrioritySchema, z.number().int()),
  acknowledged: z.number().int(),
  /** From activation to acknowledgement; null when nothing was acknowledged. */
  meanTimeToAckMs: z.number().nullable(),
})
export type AlarmKpis = z.infer<typeof alarmKpisSchema>
