import type { StorageSettings } from '@vigil/contract'

/** The retention form as typed: text fields plus the "forever" and "no cap" choices. */
export interface StorageForm {
  rawRetentionDays: string
  minuteRetentionDays: string
  hourRetentionDays: string
  hourForever: boolean
  maxSizeMb: string
  noCap: boolean
}

export type StorageField = keyof StorageSettings

export const STORAGE_FIELDS: readonly StorageField[] = [
  'rawRetentionDays',
  'minuteRetentionDays',
  'hourRetentionDays',
  'maxSizeMb',
]

/** An error beside a field: a message of ours (with its values), or the host's own words. */
export type FieldError = { key: string; values?: Record<string, number> } | { text: string }
export type FieldErrors = Partial<Record<StorageField, FieldError>>

export function formFromSettings(s: StorageSettings): StorageForm {
  return {
    rawRetentionDays: String(s.rawRetentionDays),
    minuteRetentionDays: String(s.minuteRetentionDays),
    hourRetentionDays: s.hourRetentionDays === null ? '' : String(s.hourRetentionDays),
    hourForever: s.hourRetentionDays === null,
    maxSizeMb: s.maxSizeMb === null ? '' : String(s.maxSizeMb),
    noCap: s.maxSizeMb === null,
  }
}

const WHOLE = /^\s*\d+\s*$/

/**
 * The settings to send, or what keeps the form from being sent: only that a field is not a
 * whole number. Every rule about the values themselves is the host's, shown as it answers.
 */
export function settingsFromForm(
  f: StorageForm,
): { settings: StorageSettings } | { errors: FieldErrors } {
  const errors: FieldErrors = {}
  const whole = (field: StorageField, text: string): number => {
    if (WHOLE.test(text)) return Number(text)
    errors[field] = { key: 'wholeNumber' }
    return NaN
  }
  const settings: StorageSettings = {
    rawRetentionDays: whole('rawRetentionDays', f.rawRetentionDays),
    minuteRetentionDays: whole('minuteRetentionDays', f.minuteRetentionDays),
    hourRetentionDays: f.hourForever ? null : whole('hourRetentionDays', f.hourRetentionDays),
    maxSizeMb: f.noCap ? null : whole('maxSizeMb', f.maxSizeMb),
  }
  return Object.keys(errors).length ? { errors } : { settings }
}

const isField = (name: string): name is StorageField =>
  (STORAGE_FIELDS as readonly string[]).includes(name)

// The contract's two ordering rules and its bounds, recognised so that they can be shown in
// every language; any other message is shown as the host words it.
const ORDER_RULES: Partial<Record<StorageField, string>> = {
  minuteRetentionDays: 'minuteBelowRaw',
  hourRetentionDays: 'hourBelowMinute',
}
const BOUNDS = [
  { pattern: /too small.*>=\s*(\d+)/i, key: 'atLeast' },
  { pattern: /too big.*<=\s*(\d+)/i, key: 'atMost' },
]

function fieldError(field: StorageField, text: string): FieldError {
  const rule = ORDER_RULES[field]
  if (rule && /at least as long/i.test(text)) return { key: rule }
  for (const { pattern, key } of BOUNDS) {
    const m = pattern.exec(text)
    if (m) return { key, values: { n: Number(m[1]) } }
  }
  return { text }
}

/**
 * Sorts the host's `INVALID_PARAMS` issues (`field: message`) to their fields; anything not
 * about one field is returned for the form as a whole.
 */
export function issuesToErrors(issues: readonly string[]): {
  fields: FieldErrors
  other: string[]
} {
  const fields: FieldErrors = {}
  const other: string[] = []
  for (const issue of issues) {
    const sep = issue.indexOf(': ')
    const name = sep > 0 ? issue.slice(0, sep) : ''
    const text = sep > 0 ? issue.slice(sep + 2) : issue
    if (!isField(name)) {
      other.push(issue)
      continue
    }
    fields[name] ??= fieldError(name, text)
  }
  return { fields, other }
}
