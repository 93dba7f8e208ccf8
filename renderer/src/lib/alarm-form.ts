import type {
  AlarmDefinition,
  AlarmDefinitionInput,
  AlarmPriority,
  AlarmView,
  LimitLevel,
  SourceCondition,
} from '@vigil/contract'
import { NumberReader, type FieldErrors } from './form-fields'

export const LIMIT_LEVELS: readonly LimitLevel[] = ['HH', 'H', 'L', 'LL']

/** A definition as typed: numbers as strings, delays in seconds. */
export interface DefinitionForm {
  kind: AlarmDefinition['kind']
  /** Empty for a new definition: the core derives one. */
  id: string
  name: string
  priority: AlarmPriority
  onDelayS: string
  offDelayS: string
  latch: boolean
  deadband: string
  sensorId: string
  level: LimitLevel
  limit: string
  /** Kept as they are: the form does not edit them. */
  sourceId: string
  condition: SourceCondition
  slaveId: number | null
  staleAfterMs: number
}

const seconds = (ms: number) => String(ms / 1000)

export function newLimitForm(sensorId: string): DefinitionForm {
  return {
    kind: 'limit',
    id: '',
    name: '',
    priority: 'medium',
    onDelayS: '0',
    offDelayS: '0',
    latch: false,
    deadband: '0',
    sensorId,
    level: 'H',
    limit: '',
    sourceId: '',
    condition: 'disconnected',
    slaveId: null,
    staleAfterMs: 30_000,
  }
}

export function formFromDefinition(d: AlarmView['definition']): DefinitionForm {
  const base = newLimitForm('')
  const common = {
    ...base,
    kind: d.kind,
    id: d.id,
    name: d.name,
    priority: d.priority,
    onDelayS: seconds(d.onDelayMs),
    offDelayS: seconds(d.offDelayMs),
    latch: d.latch,
  }
  switch (d.kind) {
    case 'limit':
      return {
        ...common,
        sensorId: d.sensorId,
        level: d.level,
        limit: String(d.limit),
        deadband: String(d.deadband),
      }
    case 'model':
      return { ...common, deadband: String(d.deadband) }
    case 'source':
      return {
        ...common,
        sourceId: d.sourceId,
        condition: d.condition,
        slaveId: d.slaveId ?? null,
        staleAfterMs: d.staleAfterMs,
      }
  }
}

/** The request for the form, or the fields that are not numbers. */
export function readDefinitionForm(form: DefinitionForm): {
  input: AlarmDefinitionInput
  errors: FieldErrors
} {
  const r = new NumberReader()
  const id = form.id ? { id: form.id } : {}
  const common = {
    ...id,
    name: form.name,
    priority: form.priority,
    onDelayMs: Math.round(r.number('onDelayMs', form.onDelayS) * 1000),
    offDelayMs: Math.round(r.number('offDelayMs', form.offDelayS) * 1000),
    latch: form.latch,
  }
  let input: AlarmDefinitionInput
  switch (form.kind) {
    case 'limit':
      input = {
        kind: 'limit',
        ...common,
        sensorId: form.sensorId,
        level: form.level,
        limit: r.number('limit', form.limit),
        deadband: r.number('deadband', form.deadband),
      }
      break
    case 'model':
      input = { kind: 'model', ...common, deadband: r.number('deadband', form.deadband) }
      break
    case 'source':
      input = {
        kind: 'source',
        ...common,
        sourceId: form.sourceId,
        condition: form.condition,
        ...(form.slaveId === null ? {} : { slaveId: form.slaveId }),
        staleAfterMs: form.staleAfterMs,
      }
      break
  }
  return { input, errors: r.errors }
}

/** The form's field for a host issue's path (`definition.limit` → `limit`). */
export function definitionFieldOf(path: string): string {
  const parts = path.split('.')
  return (parts[0] === 'definition' ? parts[1] : parts[0]) ?? ''
}

/** The fields the form shows for a kind. */
export function shownFields(kind: DefinitionForm['kind']): readonly string[] {
  const common = ['name', 'priority', 'onDelayMs', 'offDelayMs', 'latch']
  if (kind === 'limit') return [...common, 'sensorId', 'level', 'limit', 'deadband']
  if (kind === 'model') return [...common, 'deadband']
  return common
}
