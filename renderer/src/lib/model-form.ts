import type { AttentionKind, DetectionSettings, Params, TrainingDefaults } from '@vigil/contract'
import {
  knownFieldError,
  NumberReader,
  sortIssues,
  type FieldError,
  type FieldErrors,
} from './form-fields'

export type { FieldError, FieldErrors } from './form-fields'

/** The training ranges offered in one click, back from now; `custom` uses the typed from/to. */
export const RANGE_PRESETS = {
  h1: 3_600_000,
  h6: 6 * 3_600_000,
  h24: 86_400_000,
  d7: 7 * 86_400_000,
}
export type RangePreset = keyof typeof RANGE_PRESETS | 'custom'

export const ATTENTION_KINDS: readonly AttentionKind[] = ['dot', 'scaled-dot', 'multi-head']

/** The detection settings as typed: text, so a half-typed value is kept. */
export interface DetectionForm {
  targetFalseAlarmRate: string
  smoothing: string
  minDuration: string
  /** Empty: the calibrated threshold is used. */
  thresholdOverride: string
  /** Follow slow drift (the adapted score). */
  adaptive: boolean
  baselineMinutes: string
  maxBaselineRise: string
}

/** The typed-number fields of the detection settings. */
export type DetectionNumberKey = Exclude<keyof DetectionForm, 'adaptive'>

/** The training form as typed. Numbers stay text until sent. */
export interface TrainingForm {
  name: string
  sensorIds: string[]
  preset: RangePreset
  /** `datetime-local` values, used when `preset` is `custom`. */
  from: string
  to: string
  attention: AttentionKind
  heads: string
  windowSize: string
  dModel: string
  epochs: string
  batchSize: string
  learningRate: string
  validationFraction: string
  patience: string
  seed: string
  /** Not on the form: kept from the defaults. */
  stride: number
  detection: DetectionForm
  /** Leave out the stretches the active model flagged, so a fault is not learnt as normal. */
  excludeFlagged: boolean
  activate: boolean
}

/** One typed number on a form: where it goes in the request and how it is labelled. */
export interface NumberFieldSpec<K extends string> {
  key: K
  /** The request path the host's issues name. */
  path: string
  label: string
  hint?: string
  unit?: string
  placeholder?: string
}

export type StartTrainingInput = Params<'startTraining'>

const pad = (n: number) => String(n).padStart(2, '0')

/** A moment as a `datetime-local` input shows it, in this PC's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** The moment a `datetime-local` value means, or NaN when it is not one. */
export function fromLocalInput(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim())
  if (!m) return NaN
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0))
  return new Date(y, mo - 1, d, h, mi, s).getTime()
}

/** The from/to a preset stands for, ending now. */
export function presetRange(preset: keyof typeof RANGE_PRESETS, now: number) {
  return { from: Math.round(now - RANGE_PRESETS[preset]), to: Math.round(now) }
}

/** The detection settings as the host's issues name them. */
export const DETECTION_PATHS: readonly string[] = [
  'detection.targetFalseAlarmRate',
  'detection.smoothing',
  'detection.minDuration',
  'detection.thresholdOverride',
  'detection.adaptive',
  'detection.baselineMinutes',
  'detection.maxBaselineRise',
]

export function detectionFormOf(d: DetectionSettings): DetectionForm {
  return {
    targetFalseAlarmRate: String(d.targetFalseAlarmRate),
    smoothing: String(d.smoothing),
    minDuration: String(d.minDuration),
    thresholdOverride: d.thresholdOverride === null ? '' : String(d.thresholdOverride),
    adaptive: d.adaptive,
    baselineMinutes: String(d.baselineMinutes),
    maxBaselineRise: String(d.maxBaselineRise),
  }
}

/** The form filled with the host's defaults: every measured sensor, the last 24 hours. */
export function formFromDefaults(
  defaults: TrainingDefaults,
  sensorIds: readonly string[],
  name: string,
  now: number,
): TrainingForm {
  const { spec, options, detection } = defaults
  const range = presetRange('h24', now)
  return {
    name,
    sensorIds: [...sensorIds],
    preset: 'h24',
    from: toLocalInput(range.from),
    to: toLocalInput(range.to),
    attention: spec.attention,
    heads: String(spec.heads),
    windowSize: String(spec.windowSize),
    dModel: String(spec.dModel),
    epochs: String(options.epochs),
    batchSize: String(options.batchSize),
    learningRate: String(options.learningRate),
    validationFraction: String(options.validationFraction),
    patience: String(options.patience),
    seed: String(options.seed),
    stride: options.stride,
    detection: detectionFormOf(detection),
    excludeFlagged: true,
    activate: true,
  }
}

/** Reads the typed numbers and times, noting each that is not one. */
class Reader extends NumberReader {
  time(path: string, value: string): number {
    const ms = fromLocalInput(value)
    if (Number.isNaN(ms)) this.errors[path] = { key: 'dateTime' }
    return ms
  }
}

function readDetection(r: Reader, d: DetectionForm, prefix: string): DetectionSettings {
  const override = d.thresholdOverride.trim()
  return {
    targetFalseAlarmRate: r.number(`${prefix}targetFalseAlarmRate`, d.targetFalseAlarmRate),
    smoothing: r.whole(`${prefix}smoothing`, d.smoothing),
    minDuration: r.whole(`${prefix}minDuration`, d.minDuration),
    thresholdOverride: override === '' ? null : r.number(`${prefix}thresholdOverride`, override),
    adaptive: d.adaptive,
    baselineMinutes: r.number(`${prefix}baselineMinutes`, d.baselineMinutes),
    maxBaselineRise: r.number(`${prefix}maxBaselineRise`, d.maxBaselineRise),
  }
}

/**
 * The request to send, or what keeps the form from being sent: a number that is not one, a time
 * that is not one. Ranges and the rest are the host's to check, so its words are the rule.
 */
export function paramsFromForm(
  form: TrainingForm,
  now: number,
): { params: StartTrainingInput } | { errors: FieldErrors } {
  const r = new Reader()
  const range =
    form.preset === 'custom'
      ? { from: r.time('from', form.from), to: r.time('to', form.to) }
      : presetRange(form.preset, now)
  const multiHead = form.attention === 'multi-head'
  const params: StartTrainingInput = {
    name: form.name.trim(),
    spec: {
      sensorIds: [...form.sensorIds],
      windowSize: r.whole('spec.windowSize', form.windowSize),
      dModel: r.whole('spec.dModel', form.dModel),
      attention: form.attention,
      // Heads mean something only to multi-head attention; the others keep the default.
      ...(multiHead ? { heads: r.whole('spec.heads', form.heads) } : {}),
    },
    from: range.from,
    to: range.to,
    options: {
      stride: form.stride,
      epochs: r.whole('options.epochs', form.epochs),
      batchSize: r.whole('options.batchSize', form.batchSize),
      learningRate: r.number('options.learningRate', form.learningRate),
      validationFraction: r.number('options.validationFraction', form.validationFraction),
      patience: r.whole('options.patience', form.patience),
      seed: r.whole('options.seed', form.seed),
    },
    detection: readDetection(r, form.detection, 'detection.'),
    excludeFlagged: form.excludeFlagged,
    activate: form.activate,
  }
  return Object.keys(r.errors).length ? { errors: r.errors } : { params }
}

/** The detection settings to save for a model, or the fields that are not numbers. */
export function detectionFromForm(
  form: DetectionForm,
): { detection: DetectionSettings } | { errors: FieldErrors } {
  const r = new Reader()
  const detection = readDetection(r, form, 'detection.')
  return Object.keys(r.errors).length ? { errors: r.errors } : { detection }
}

// Zod's usual wording, recognised so that it can be shown in every language; any other
// message is shown as the host words it.
const KNOWN: { pattern: RegExp; key: string }[] = [
  { pattern: /expected string to have >=1 characters/i, key: 'required' },
  { pattern: /expected array to have >=1 items/i, key: 'noSensors' },
  { pattern: /multiple of the number of heads/i, key: 'headsDivide' },
  { pattern: /"to" must be after "from"/i, key: 'toAfterFrom' },
  { pattern: /expected int/i, key: 'wholeNumber' },
  { pattern: /too small.*>=\s*(-?[\d.e+-]+)/i, key: 'atLeast' },
  { pattern: /too small.*>\s*(-?[\d.e+-]+)/i, key: 'above' },
  { pattern: /too big.*<=\s*(-?[\d.e+-]+)/i, key: 'atMost' },
  { pattern: /too big.*<\s*(-?[\d.e+-]+)/i, key: 'below' },
]

export function fieldError(text: string): FieldError {
  return knownFieldError(KNOWN, text)
}

/** The form field an issue's path is about: `spec.sensorIds.2` is the sensor list. */
export function fieldOfPath(path: string): string {
  const parts = path.split('.')
  if (parts[0] === 'spec' && parts[1] === 'sensorIds') return 'spec.sensorIds'
  return parts.slice(0, 2).join('.')
}

/**
 * Sorts the host's `INVALID_PARAMS` issues (`path: message`) to the form's fields; an issue not
 * about a field the form shows is returned for the form as a whole.
 */
export function issuesToErrors(
  issues: readonly string[],
  isShown: (field: string) => boolean,
): { fields: FieldErrors; other: string[] } {
  return sortIssues(issues, fieldOfPath, isShown, fieldError)
}

/** The fields the training form shows, as issue paths; heads only with multi-head attention. */
export function trainingFieldShown(form: TrainingForm) {
  const always = new Set([
    'name',
    'spec.sensorIds',
    'spec.windowSize',
    'spec.dModel',
    'spec.attention',
    'options.epochs',
    'options.batchSize',
    'options.learningRate',
    'options.validationFraction',
    'options.patience',
    'options.seed',
    'detection.targetFalseAlarmRate',
    'detection.smoothing',
    'detection.minDuration',
    'detection.adaptive',
    'detection.baselineMinutes',
    'detection.maxBaselineRise',
  ])
  return (field: string): boolean =>
    always.has(field) ||
    (field === 'spec.heads' && form.attention === 'multi-head') ||
    ((field === 'from' || field === 'to') && form.preset === 'custom')
}
