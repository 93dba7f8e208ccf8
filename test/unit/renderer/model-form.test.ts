import { describe, expect, it } from 'vitest'
import type { TrainingDefaults } from '@vigil/contract'
import {
  RANGE_PRESETS,
  detectionFormOf,
  detectionFromForm,
  fieldError,
  formFromDefaults,
  fromLocalInput,
  issuesToErrors,
  paramsFromForm,
  toLocalInput,
  trainingFieldShown,
} from '../../../renderer/src/lib/model-form'

const defaults: TrainingDefaults = {
  spec: { windowSize: 32, dModel: 32, attention: 'multi-head', heads: 4 },
  options: {
    stride: 4,
    epochs: 30,
    batchSize: 64,
    learningRate: 0.002,
    validationFraction: 0.2,
    patience: 5,
    seed: 42,
  },
  detection: {
    targetFalseAlarmRate: 0.001,
    smoothing: 5,
    minDuration: 3,
    thresholdOverride: null,
    adaptive: true,
    baselineMinutes: 10,
    maxBaselineRise: 4,
  },
}
const NOW = new Date(2025, 4, 6, 12, 30).getTime()
const form = () => formFromDefaults(defaults, ['pump.flow', 'pump.pressure'], 'Pump', NOW)

describe('training form', () => {
  it('starts from the host defaults with every sensor and the last 24 hours', () => {
    const f = form()
    expect(f.sensorIds).toEqual(['pump.flow', 'pump.pressure'])
    expect(f.preset).toBe('h24')
    expect(f.to).toBe('2025-05-06T12:30')
    expect(f.from).toBe('2025-05-05T12:30')
    expect(f.heads).toBe('4')
    expect(f.detection.thresholdOverride).toBe('')
  })

  it('reads the form into the request, the preset ending now', () => {
    const f = form()
    f.preset = 'h1'
    f.epochs = ' 3 '
    const read = paramsFromForm(f, NOW)
    expect('params' in read && read.params).toEqual({
      name: 'Pump',
      spec: {
        sensorIds: ['pump.flow', 'pump.pressure'],
        windowSize: 32,
        dModel: 32,
        attention: 'multi-head',
        heads: 4,
      },
      from: NOW - RANGE_PRESETS.h1,
      to: NOW,
      options: {
        stride: 4,
        epochs: 3,
        batchSize: 64,
        learningRate: 0.002,
        validationFraction: 0.2,
        patience: 5,
        seed: 42,
      },
      detection: defaults.detection,
      excludeFlagged: true,
      activate: true,
    })
  })

  it('uses the typed times for a custom range and leaves heads out without multi-head', () => {
    const f = form()
    f.preset = 'custom'
    f.from = '2025-05-01T08:00'
    f.to = '2025-05-01T20:00'
    f.attention = 'scaled-dot'
    f.heads = 'anything'
    const read = paramsFromForm(f, NOW)
    if (!('params' in read)) throw new Error('expected params')
    expect(read.params.from).toBe(new Date(2025, 4, 1, 8).getTime())
    expect(read.params.to).toBe(new Date(2025, 4, 1, 20).getTime())
    expect(read.params.spec).not.toHaveProperty('heads')
  })

  it('marks each field that is not a number, and a time that is not one', () => {
    const f = form()
    f.preset = 'custom'
    f.from = ''
    f.epochs = '2.5'
    f.learningRate = 'fast'
    f.detection.smoothing = ''
    const read = paramsFromForm(f, NOW)
    expect('errors' in read && read.errors).toEqual({
      from: { key: 'dateTime' },
      'options.epochs': { key: 'wholeNumber' },
      'options.learningRate': { key: 'number' },
      'detection.smoothing': { key: 'wholeNumber' },
    })
  })

  it('round-trips a local time through the datetime input', () => {
    const ms = new Date(2024, 0, 2, 3, 4).getTime()
    expect(fromLocalInput(toLocalInput(ms))).toBe(ms)
    expect(fromLocalInput('2024-01-02T03:04:05')).toBe(ms + 5000)
    expect(fromLocalInput('yesterday')).toBeNaN()
  })
})

describe('host issues', () => {
  it('puts each issue beside its field, in words every language can show', () => {
    const f = form()
    const { fields, other } = issuesToErrors(
      [
        'spec.heads: dModel must be a multiple of the number of heads',
        'spec.sensorIds: Too small: expected array to have >=1 items',
        'spec.sensorIds.1: letters, digits and _ . : - only',
        'options.epochs: Too big: expected number to be <=500',
        'options.learningRate: Too small: expected number to be >0',
        'detection.targetFalseAlarmRate: Too small: expected number to be >=0.000001',
        'name: Too small: expected string to have >=1 characters',
        'exclude.0.to: Invalid input',
        '(params): Unrecognized key: "x"',
      ],
      trainingFieldShown(f),
    )
    expect(fields).toEqual({
      'spec.heads': { key: 'headsDivide' },
      'spec.sensorIds': { key: 'noSensors' },
      'options.epochs': { key: 'atMost', values: { n: 500 } },
      'options.learningRate': { key: 'above', values: { n: 0 } },
      'detection.targetFalseAlarmRate': { key: 'atLeast', values: { n: 0.000001 } },
      name: { key: 'required' },
    })
    expect(other).toEqual(['exclude.0.to: Invalid input', '(params): Unrecognized key: "x"'])
  })

  it('keeps an issue about a hidden field for the form as a whole', () => {
    const f = form()
    f.attention = 'dot'
    const { fields, other } = issuesToErrors(
      ['spec.heads: Too big: expected number to be <=16', 'to: "to" must be after "from"'],
      trainingFieldShown(f),
    )
    expect(fields).toEqual({})
    expect(other).toHaveLength(2)
    f.preset = 'custom'
    expect(issuesToErrors(['to: "to" must be after "from"'], trainingFieldShown(f)).fields).toEqual(
      { to: { key: 'toAfterFrom' } },
    )
  })

  it('shows an unknown message as the host wrote it', () => {
    expect(fieldError('too little data in the range')).toEqual({
      text: 'too little data in the range',
    })
    expect(fieldError('Invalid input: expected int, received number')).toEqual({
      key: 'wholeNumber',
    })
  })
})

describe('detection form', () => {
  it('round-trips the settings, an empty override meaning the calibrated threshold', () => {
    const f = detectionFormOf({ ...defaults.detection, thresholdOverride: 0.75 })
    expect(f.thresholdOverride).toBe('0.75')
    f.thresholdOverride = '  '
    expect(detectionFromForm(f)).toEqual({ detection: defaults.detection })
    f.minDuration = 'x'
    expect(detectionFromForm(f)).toEqual({
      errors: { 'detection.minDuration': { key: 'wholeNumber' } },
    })
  })

  it('carries the drift settings: off, and a window that is not a number', () => {
    const f = detectionFormOf(defaults.detection)
    expect(f).toMatchObject({ adaptive: true, baselineMinutes: '10', maxBaselineRise: '4' })
    f.adaptive = false
    f.baselineMinutes = '30'
    expect(detectionFromForm(f)).toEqual({
      detection: { ...defaults.detection, adaptive: false, baselineMinutes: 30 },
    })
    f.baselineMinutes = 'ten'
    expect(detectionFromForm(f)).toEqual({
      errors: { 'detection.baselineMinutes': { key: 'number' } },
    })
  })
})
