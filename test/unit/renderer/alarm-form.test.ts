import { describe, expect, it } from 'vitest'
import {
  definitionFieldOf,
  formFromDefinition,
  newLimitForm,
  readDefinitionForm,
} from '../../../renderer/src/lib/alarm-form'
import { rangeEndingAt, rateVerdict } from '../../../renderer/src/lib/alarm-range'

describe('definition form', () => {
  it('reads a new limit alarm, delays in seconds to ms, no id', () => {
    const form = { ...newLimitForm('tank.level'), name: 'Tank high', limit: '80.5' }
    form.onDelayS = '2.5'
    const { input, errors } = readDefinitionForm(form)
    expect(errors).toEqual({})
    expect(input).toEqual({
      kind: 'limit',
      name: 'Tank high',
      priority: 'medium',
      onDelayMs: 2500,
      offDelayMs: 0,
      latch: false,
      sensorId: 'tank.level',
      level: 'H',
      limit: 80.5,
      deadband: 0,
    })
  })

  it('notes fields that are not numbers', () => {
    const { errors } = readDefinitionForm({ ...newLimitForm('s'), limit: 'abc' })
    expect(errors).toEqual({ limit: { key: 'number' } })
  })

  it('round-trips a model definition, keeping its id', () => {
    const form = formFromDefinition({
      kind: 'model',
      id: 'model',
      name: 'Model',
      priority: 'high',
      onDelayMs: 5000,
      offDelayMs: 1000,
      latch: true,
      deadband: 0.2,
    })
    expect(form.onDelayS).toBe('5')
    expect(readDefinitionForm(form).input).toEqual({
      kind: 'model',
      id: 'model',
      name: 'Model',
      priority: 'high',
      onDelayMs: 5000,
      offDelayMs: 1000,
      latch: true,
      deadband: 0.2,
    })
  })

  it('keeps a source definition’s source and condition', () => {
    const form = formFromDefinition({
      kind: 'source',
      id: 'src:plc',
      name: 'PLC',
      priority: 'low',
      onDelayMs: 0,
      offDelayMs: 0,
      latch: false,
      sourceId: 'plc',
      condition: 'stale',
      staleAfterMs: 60_000,
    })
    expect(readDefinitionForm(form).input).toMatchObject({
      kind: 'source',
      sourceId: 'plc',
      condition: 'stale',
      staleAfterMs: 60_000,
    })
  })

  it('maps host issue paths to fields', () => {
    expect(definitionFieldOf('definition.limit')).toBe('limit')
    expect(definitionFieldOf('definition.onDelayMs')).toBe('onDelayMs')
    expect(definitionFieldOf('user')).toBe('user')
  })
})

describe('ranges and EEMUA rates', () => {
  it('ends a range now', () => {
    expect(rangeEndingAt('h1', 10_000_000)).toEqual({
      from: 10_000_000 - 3_600_000,
      to: 10_000_000,
    })
    expect(rangeEndingAt('d7', 1000).from).toBe(0)
  })

  it('judges a rate per 10 minutes', () => {
    expect(rateVerdict(0.5)).toBe('target')
    expect(rateVerdict(2)).toBe('manageable')
    expect(rateVerdict(2.1)).toBe('overloaded')
  })
})
