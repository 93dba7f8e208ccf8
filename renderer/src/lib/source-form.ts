import type {
  Channel,
  LineFormat,
  LineFormatInput,
  ModbusRegister,
  SerialSettingsConfig,
  SourceConfig,
  SourceConfigInput,
} from '@vigil/contract'
import {
  knownFieldError,
  NumberReader,
  WHOLE,
  sortIssues,
  type FieldError,
  type FieldErrors,
} from './form-fields'
import {
  readSlaveOptions,
  slaveFieldOfPath,
  slaveOptionsFromConfig,
  type SlaveOptionsRow,
} from './modbus-slave-form'

export type { FieldError, FieldErrors } from './form-fields'

export type SourceKind = SourceConfig['kind']
export type FormatKind = LineFormat['kind']
export type CsvDelimiter = ',' | ';' | '\t' | ' '
export type PairSeparator = ' ' | ',' | ';' | '&'
export type KvSeparator = '=' | ':'
export type TimestampFormat = 'epoch-ms' | 'epoch-s' | 'iso'
export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space'
export type RegisterFunction = ModbusRegister['function']
export type RegisterType = ModbusRegister['type']
export type ByteOrder = 'big' | 'little'

/** One channel as typed: `key` is where the value is in a line (column, field or key). */
export interface ChannelRow {
  key: string
  id: string
  name: string
  unit: string
  scale: string
  offset: string
  expectedMin: string
  expectedMax: string
  decimals: string
}

export interface RegisterRow extends Omit<ChannelRow, 'key'> {
  slaveId: string
  function: RegisterFunction
  address: string
  addressBase: '0' | '1'
  type: RegisterType
  wordOrder: ByteOrder
  byteOrder: ByteOrder
}

/** The add/edit form as typed: text for every number, so a half-typed value is kept. */
export interface SourceForm {
  id: string
  /** Once the id is typed by hand it no longer follows the name. */
  idEdited: boolean
  name: string
  enabled: boolean
  kind: SourceKind
  serial: { path: string; baudRate: string; dataBits: string; parity: Parity; stopBits: string }
  format: {
    kind: FormatKind
    delimiter: CsvDelimiter
    pairSeparator: PairSeparator
    keyValueSeparator: KvSeparator
    timestamp: boolean
    timestampKey: string
    timestampFormat: TimestampFormat
    maxLineLength: string
  }
  channels: ChannelRow[]
  modbus: { pollMs: string; timeoutMs: string; retries: string }
  registers: RegisterRow[]
  /** Request options by slave id; a slave without an entry gets the defaults. */
  slaveOptions: Record<string, SlaveOptionsRow>
  file: { path: string; mode: 'replay' | 'tail'; speed: string; loop: boolean }
}

export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const

/** A source id from its name: what an engineer would have typed, or empty when nothing fits. */
export function deriveId(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64)
}

export function emptyChannel(key = ''): ChannelRow {
  return {
    key,
    id: '',
    name: '',
    unit: '',
    scale: '1',
    offset: '0',
    expectedMin: '',
    expectedMax: '',
    decimals: '2',
  }
}

export function emptyRegister(): RegisterRow {
  const { key: _key, ...channel } = emptyChannel()
  return {
    ...channel,
    slaveId: '1',
    function: 'holding',
    address: '0',
    addressBase: '0',
    type: 'uint16',
    wordOrder: 'big',
    byteOrder: 'big',
  }
}

export function emptyForm(kind: SourceKind = 'serial-lines'): SourceForm {
  return {
    id: '',
    idEdited: false,
    name: '',
    enabled: true,
    kind,
    serial: { path: '', baudRate: '9600', dataBits: '8', parity: 'none', stopBits: '1' },
    format: {
      kind: 'kv',
      delimiter: ',',
      pairSeparator: ' ',
      keyValueSeparator: '=',
      timestamp: false,
      timestampKey: '',
      timestampFormat: 'epoch-ms',
      maxLineLength: '1024',
    },
    channels: [emptyChannel()],
    modbus: { pollMs: '1000', timeoutMs: '500', retries: '1' },
    registers: [emptyRegister()],
    slaveOptions: {},
    file: { path: '', mode: 'replay', speed: '1', loop: false },
  }
}

const text = (n: number | null) => (n === null ? '' : String(n))

function channelRow(c: Channel, key: string): ChannelRow {
  return {
    key,
    id: c.id,
    name: c.name,
    unit: c.unit,
    scale: String(c.scale),
    offset: String(c.offset),
    expectedMin: text(c.expectedMin),
    expectedMax: text(c.expectedMax),
    decimals: String(c.decimals),
  }
}

/** Where each sensor is in a line, by sensor id. */
function keysOf(format: LineFormat): Map<string, string> {
  if (format.kind === 'csv')
    return new Map(format.columns.map((c) => [c.sensorId, String(c.index)]))
  const record = format.kind === 'json' ? format.fields : format.keys
  return new Map(Object.entries(record).map(([key, id]) => [id, key]))
}

function formatToForm(format: LineFormat): SourceForm['format'] {
  const base = emptyForm().format
  const ts = format.timestamp
  const tsKey = !ts
    ? ''
    : 'index' in ts
      ? String(ts.index)
      : 'field' in ts
        ? ts.field
        : 'key' in ts
          ? ts.key
          : ''
  return {
    ...base,
    kind: format.kind,
    delimiter: format.kind === 'csv' ? format.delimiter : base.delimiter,
    pairSeparator: format.kind === 'kv' ? format.pairSeparator : base.pairSeparator,
    keyValueSeparator: format.kind === 'kv' ? format.keyValueSeparator : base.keyValueSeparator,
    timestamp: Boolean(ts),
    timestampKey: tsKey,
    timestampFormat: ts?.format ?? base.timestampFormat,
    maxLineLength: String(format.maxLineLength),
  }
}

/** The form for editing a saved source. */
export function formFromConfig(config: SourceConfig): SourceForm {
  const form: SourceForm = {
    ...emptyForm(config.kind),
    id: config.id,
    idEdited: true,
    name: config.name,
    enabled: config.enabled,
  }
  if (config.kind === 'modbus-rtu') {
    form.serial = serialToForm(config.serial)
    form.modbus = {
      pollMs: String(config.pollMs),
      timeoutMs: String(config.timeoutMs),
      retries: String(config.retries),
    }
    form.registers = config.registers.map((r) => {
      const { key: _key, ...channel } = channelRow(r, '')
      return {
        ...channel,
        slaveId: String(r.slaveId),
        function: r.function,
        address: String(r.address),
        addressBase: r.addressBase === 1 ? '1' : '0',
        type: r.type,
        wordOrder: r.wordOrder,
        byteOrder: r.byteOrder,
      }
    })
    form.slaveOptions = slaveOptionsFromConfig(config.slaves)
    return form
  }
  const keys = keysOf(config.format)
  form.format = formatToForm(config.format)
  form.channels = config.channels.map((c) => channelRow(c, keys.get(c.id) ?? ''))
  if (config.kind === 'serial-lines') form.serial = serialToForm(config.serial)
  else {
    form.file = {
      path: config.path,
      mode: config.mode,
      speed: String(config.speed),
      loop: config.loop,
    }
  }
  return form
}

function serialToForm(s: SerialSettingsConfig): SourceForm['serial'] {
  return {
    path: s.path,
    baudRate: String(s.baudRate),
    dataBits: String(s.dataBits),
    parity: s.parity,
    stopBits: String(s.stopBits),
  }
}

/** Reads the typed numbers, noting each that is not one, and the fields left empty. */
class Reader extends NumberReader {
  optional(path: string, value: string): number | null {
    return value.trim() === '' ? null : this.number(path, value)
  }

  required(path: string, value: string): string {
    if (value.trim() === '') this.errors[path] = { key: 'required' }
    return value.trim()
  }
}

function readChannel(r: Reader, path: string, row: Omit<ChannelRow, 'key'>): Channel {
  return {
    id: row.id.trim(),
    name: row.name.trim(),
    unit: row.unit.trim(),
    scale: r.number(`${path}.scale`, row.scale),
    offset: r.number(`${path}.offset`, row.offset),
    expectedMin: r.optional(`${path}.expectedMin`, row.expectedMin),
    expectedMax: r.optional(`${path}.expectedMax`, row.expectedMax),
    decimals: r.whole(`${path}.decimals`, row.decimals),
  }
}

function readSerial(r: Reader, s: SourceForm['serial']) {
  return {
    path: s.path.trim(),
    baudRate: r.whole('serial.baudRate', s.baudRate),
    dataBits: Number(s.dataBits) as 5 | 6 | 7 | 8,
    parity: s.parity,
    stopBits: Number(s.stopBits) as 1 | 1.5 | 2,
  }
}

/** The line format, its sensors taken from the channel rows' keys. */
function readFormat(r: Reader, form: SourceForm): LineFormatInput {
  const f = form.format
  const maxLineLength = r.whole('format.maxLineLength', f.maxLineLength)
  const seen = new Set<string>()
  form.channels.forEach((c, i) => {
    const key = r.required(`channels.${i}.key`, c.key)
    if (f.kind === 'csv' && key) r.whole(`channels.${i}.key`, key)
    if (key && seen.has(key)) r.errors[`channels.${i}.key`] ??= { key: 'duplicateKey' }
    seen.add(key)
  })
  const tsKey = f.timestamp ? r.required('format.timestamp', f.timestampKey) : ''
  if (f.kind === 'csv') {
    const index = (text: string) => (WHOLE.test(text) ? Number(text) : NaN)
    if (f.timestamp && tsKey) r.whole('format.timestamp', tsKey)
    return {
      kind: 'csv',
      delimiter: f.delimiter,
      columns: form.channels.map((c) => ({ index: index(c.key), sensorId: c.id.trim() })),
      ...(f.timestamp ? { timestamp: { index: index(tsKey), format: f.timestampFormat } } : {}),
      maxLineLength,
    }
  }
  const record = Object.fromEntries(form.channels.map((c) => [c.key.trim(), c.id.trim()]))
  if (f.kind === 'json') {
    return {
      kind: 'json',
      fields: record,
      ...(f.timestamp ? { timestamp: { field: tsKey, format: f.timestampFormat } } : {}),
      maxLineLength,
    }
  }
  return {
    kind: 'kv',
    pairSeparator: f.pairSeparator,
    keyValueSeparator: f.keyValueSeparator,
    keys: record,
    ...(f.timestamp ? { timestamp: { key: tsKey, format: f.timestampFormat } } : {}),
    maxLineLength,
  }
}

/**
 * The config to send, or what keeps the form from being sent: a number that is not one, a
 * missing or repeated line key. Everything else (ids, ranges, bounds) is checked by the host.
 */
export function configFromForm(
  form: SourceForm,
): { config: SourceConfigInput } | { errors: FieldErrors } {
  const r = new Reader()
  const common = { id: form.id.trim(), name: form.name.trim(), enabled: form.enabled }
  let config: SourceConfigInput
  if (form.kind === 'modbus-rtu') {
    config = {
      ...common,
      kind: 'modbus-rtu',
      serial: readSerial(r, form.serial),
      pollMs: r.whole('pollMs', form.modbus.pollMs),
      timeoutMs: r.whole('timeoutMs', form.modbus.timeoutMs),
      retries: r.whole('retries', form.modbus.retries),
      registers: form.registers.map((row, i) => ({
        ...readChannel(r, `registers.${i}`, row),
        slaveId: r.whole(`registers.${i}.slaveId`, row.slaveId),
        function: row.function,
        address: r.whole(`registers.${i}.address`, row.address),
        addressBase: row.addressBase === '1' ? 1 : 0,
        type: row.type,
        wordOrder: row.wordOrder,
        byteOrder: row.byteOrder,
      })),
      slaves: readSlaveOptions(r, form.registers, form.slaveOptions),
    }
  } else {
    const format = readFormat(r, form)
    const channels = form.channels.map((row, i) => readChannel(r, `channels.${i}`, row))
    config =
      form.kind === 'serial-lines'
        ? { ...common, kind: 'serial-lines', serial: readSerial(r, form.serial), format, channels }
        : {
            ...common,
            kind: 'file',
            path: form.file.path.trim(),
            mode: form.file.mode,
            speed: r.number('speed', form.file.speed),
            loop: form.file.loop,
            format,
            channels,
          }
  }
  return Object.keys(r.errors).length ? { errors: r.errors } : { config }
}

// Zod's usual wording, recognised so that it can be shown in every language; any other
// message is shown as the host words it.
const KNOWN = [
  { pattern: /expected string to have >=1 characters/i, key: 'required' },
  { pattern: /letters, digits and/i, key: 'idChars' },
  { pattern: /too small.*>=\s*(-?[\d.]+)/i, key: 'atLeast' },
  { pattern: /too big.*<=\s*(-?[\d.]+)/i, key: 'atMost' },
]

function fieldError(text: string): FieldError {
  return knownFieldError(KNOWN, text)
}

/**
 * The form field an issue's path is about. The line format's sensors are typed in the channel
 * rows, so `format.columns.1.sensorId` or `format.keys.p` point at a channel row.
 */
export function fieldOfPath(path: string, form: SourceForm): string {
  const parts = path.split('.')
  if (parts[0] === 'slaves') return slaveFieldOfPath(path, form.registers, form.slaveOptions)
  if (parts[0] !== 'format') return path
  if (parts[1] === 'columns' && parts[2] !== undefined) {
    return `channels.${parts[2]}.${parts[3] === 'index' ? 'key' : 'id'}`
  }
  if ((parts[1] === 'keys' || parts[1] === 'fields') && parts.length > 2) {
    const key = parts.slice(2).join('.')
    const row = form.channels.findIndex((c) => c.key.trim() === key)
    return row >= 0 ? `channels.${row}.id` : 'format'
  }
  if (parts[1] === 'timestamp') return 'format.timestamp'
  return parts.slice(0, 2).join('.')
}

/**
 * Sorts the host's `INVALID_PARAMS` issues (`path: message`) to the form's fields; an issue not
 * about a field the form shows is returned for the form as a whole.
 */
export function issuesToErrors(
  issues: readonly string[],
  form: SourceForm,
  isShown: (field: string) => boolean,
): { fields: FieldErrors; other: string[] } {
  return sortIssues(issues, (path) => fieldOfPath(path, form), isShown, fieldError)
}
