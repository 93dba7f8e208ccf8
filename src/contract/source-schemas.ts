import { z } from 'zod'
import { lineFormatSchema } from './line-format'
import { sensorIdSchema } from './schemas'

/** A source's id: also the prefix engineers see in logs. */
export const sourceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only')

/**
 * One channel a source provides: it becomes a sensor with history. The raw reading is turned
 * into the engineering value as `raw * scale + offset`; a value outside the expected range is
 * counted as bad input and never stored.
 */
export const channelSchema = z.object({
  id: sensorIdSchema,
  name: z.string().min(1).max(80),
  unit: z.string().max(20).default(''),
  scale: z.number().finite().default(1),
  offset: z.number().finite().default(0),
  expectedMin: z.number().finite().nullable().default(null),
  expectedMax: z.number().finite().nullable().default(null),
  decimals: z.number().int().min(0).max(6).default(2),
})
export type Channel = z.output<typeof channelSchema>

export const serialSettingsSchema = z.object({
  path: z.string().min(1).max(260),
  baudRate: z.number().int().min(50).max(4_000_000).default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
})
export type SerialSettingsConfig = z.output<typeof serialSettingsSchema>

/** One value polled from a Modbus RTU slave. */
export const modbusRegisterSchema = channelSchema.extend({
  slaveId: z.number().int().min(1).max(247),
  function: z.enum(['holding', 'input', 'coil', 'discrete']),
  /** The address as the device manual writes it, read with the convention in `addressBase`. */
  address: z.number().int().min(0).max(65_536),
  /** 0: the manual's numbers are wire addresses; 1: they start at 1 (register 1 is wire 0). */
  addressBase: z.union([z.literal(0), z.literal(1)]).default(0),
  type: z.enum(['int16', 'uint16', 'int32', 'uint32', 'float32']).default('uint16'),
  /** For 32-bit types: which 16-bit register comes first. */
  wordOrder: z.enum(['big', 'little']).default('big'),
  /** Within each 16-bit register. */
  byteOrder: z.enum(['big', 'little']).default('big'),
})
export type ModbusRegister = z.output<typeof modbusRegisterSchema>

const common = {
  id: sourceIdSchema,
  name: z.string().min(1).max(80),
  enabled: z.boolean().default(true),
}

export const serialLinesSourceSchema = z.object({
  ...common,
  kind: z.literal('serial-lines'),
  serial: serialSettingsSchema,
  format: lineFormatSchema,
  channels: z.array(channelSchema).min(1).max(256),
})

/** Per-request limits from the Modbus spec (FC 03/04: 125 registers; FC 01/02: 2000 bits). */
export const MODBUS_MAX_REGISTERS = 125
export const MODBUS_MAX_BITS = 2000

/**
 * How to read one slave: devices differ. Some refuse a request that touches an address they do
 * not have (exception 2), some answer fewer registers per request than the spec allows.
 */
export const modbusSlaveOptionsSchema = z
  .object({
    slaveId: z.number().int().min(1).max(247),
    /**
     * Unused addresses one request may read through to join two ranges. 0 (the default) never
     * asks for an address that is not configured; more saves round trips on devices whose map
     * has no holes there. A refused read is split and the hole remembered either way.
     */
    maxGap: z
      .number()
      .int()
      .min(0)
      .max(MODBUS_MAX_REGISTERS - 2)
      .default(0),
    /** The most registers the device answers in one request. */
    maxRegisters: z.number().int().min(2).max(MODBUS_MAX_REGISTERS).default(MODBUS_MAX_REGISTERS),
    /** The most coils or discrete inputs the device answers in one request. */
    maxBits: z.number().int().min(1).max(MODBUS_MAX_BITS).default(MODBUS_MAX_BITS),
  })
  .strict()
export type ModbusSlaveOptions = z.output<typeof modbusSlaveOptionsSchema>

export const modbusRtuSourceSchema = z.object({
  ...common,
  kind: z.literal('modbus-rtu'),
  serial: serialSettingsSchema,
  pollMs: z.number().int().min(50).max(3_600_000).default(1000),
  timeoutMs: z.number().int().min(20).max(10_000).default(500),
  retries: z.number().int().min(0).max(5).default(1),
  registers: z.array(modbusRegisterSchema).min(1).max(512),
  /** Options of the slaves that need other than the defaults; at most one entry per slave. */
  slaves: z
    .array(modbusSlaveOptionsSchema)
    .max(247)
    .default([])
    .superRefine((slaves, ctx) => {
      const seen = new Set<number>()
      slaves.forEach((s, i) => {
        if (seen.has(s.slaveId)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'slaveId'],
            message: `slave ${s.slaveId} has options twice`,
          })
        }
        seen.add(s.slaveId)
      })
    }),
})

export const fileSourceSchema = z.object({
  ...common,
  kind: z.literal('file'),
  path: z.string().min(1).max(4096),
  /** `replay`: play the file as a live stream at `speed`; `tail`: follow lines another program appends. */
  mode: z.enum(['replay', 'tail']),
  speed: z.number().positive().max(10_000).default(1),
  loop: z.boolean().default(false),
  format: lineFormatSchema,
  channels: z.array(channelSchema).min(1).max(256),
})

export const sourceConfigSchema = z.discriminatedUnion('kind', [
  serialLinesSourceSchema,
  modbusRtuSourceSchema,
  fileSourceSchema,
])
export type SourceConfig = z.output<typeof sourceConfigSchema>
export type SourceConfigInput = z.input<typeof sourceConfigSchema>

export const discoveredPortSchema = z.object({
  path: z.string(),
  label: z.string().nullable(),
  found: z.enum(['udev', 'scan']),
  problem: z.string().nullable(),
})

/** What "test connection" saw: the first lines (or polls), each with what was read from it. */
export const sourceTestResultSchema = z.object({
  ok: z.boolean(),
  /** Why nothing could be read, in plain words. */
  error: z.string().nullable(),
  lines: z.array(
    z.object({
      raw: z.string(),
      values: z.array(z.object({ sensorId: z.string(), value: z.number() })),
      error: z.string().nullable(),
    }),
  ),
})
export type SourceTestResult = z.infer<typeof sourceTestResultSchema>

/**
 * A channel the device refuses as configured: the slave answered its read, alone, with an
 * exception (2: no such address, 3: a count or value it does not accept). The channel is not
 * polled again until the source is saved or restarted, so it costs only itself.
 */
export const configErrorSchema = z.object({
  sensorId: z.string(),
  slaveId: z.number().int(),
  function: z.enum(['holding', 'input', 'coil', 'discrete']),
  /** The address as configured (in `addressBase` numbering) and on the wire. */
  address: z.number().int(),
  addressBase: z.union([z.literal(0), z.literal(1)]),
  wireAddress: z.number().int(),
  /** The Modbus exception code the device answered. */
  exception: z.number().int(),
  /** When it was found. */
  at: z.number(),
})
export type ConfigError = z.infer<typeof configErrorSchema>

export const sourceHealthSchema = z.object({
  id: z.string(),
  /** Bad input by kind (too-long, binary, malformed, non-numeric, not-finite, out-of-range, crc, timeout, ...). */
  errorCounts: z.record(z.string(), z.number().int()),
  recentErrors: z.array(z.object({ kind: z.string(), excerpt: z.string() })),
  /** Per Modbus slave: requests, good answers, CRC errors, time-outs, exceptions. */
  slaves: z.array(
    z.object({
      slaveId: z.number().int(),
      requests: z.number().int(),
      ok: z.number().int(),
      crcErrors: z.number().int(),
      timeouts: z.number().int(),
      exceptions: z.number().int(),
      /** Modbus: false once the slave stopped answering (it is then probed slowly). */
      answering: z.boolean().optional(),
      /** Since when it has not answered; null while it answers. */
      silentSince: z.number().nullable().optional(),
      /** When it will be asked again while it does not answer. */
      nextProbeAt: z.number().nullable().optional(),
    }),
  ),
  outages: z.array(z.object({ from: z.number(), to: z.number().nullable() })),
  /** Channels that cannot be read as configured, e.g. a register the device does not have. */
  configErrors: z.array(configErrorSchema).optional(),
})
export type SourceHealth = z.infer<typeof sourceHealthSchema>

export const sourceIdParamsSchema = z.object({ id: sourceIdSchema }).strict()

export const previewFileParamsSchema = z
  .object({
    path: z.string().min(1).max(4096),
    maxLines: z.number().int().min(1).max(200).default(20),
  })
  .strict()

/** The start of a file, for choosing its format and mapping its columns. */
export const filePreviewSchema = z.object({
  path: z.string(),
  bytes: z.number().int(),
  lines: z.array(z.string()),
  /** A guess at the format: the delimiter that splits the lines most evenly, and a header if any. */
  guess: z.object({
    kind: z.enum(['csv', 'json', 'kv']),
    delimiter: z.string().nullable(),
    header: z.array(z.string()).nullable(),
  }),
})
export type FilePreview = z.infer<typeof filePreviewSchema>

/** Import a history file into the database once (not a live source). */
export const importFileParamsSchema = z
  .object({
    path: z.string().min(1).max(4096),
    sourceId: sourceIdSchema,
    format: lineFormatSchema,
    channels: z.array(channelSchema).min(1).max(256),
    /** Lines before the data (a header row). */
    skipLines: z.number().int().min(0).max(1000).default(0),
  })
  .strict()

export const importResultSchema = z.object({
  lines: z.number().int(),
  stored: z.number().int(),
  errorCounts: z.record(z.string(), z.number().int()),
  durationMs: z.number(),
})
export type ImportResult = z.infer<typeof importResultSchema>
