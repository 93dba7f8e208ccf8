/** An error beside a field: a message of ours (with its values), or the host's own words. */
export type FieldError = { key: string; values?: Record<string, number> } | { text: string }
/** Errors by the field's path in the request (`spec.heads`, `serial.baudRate`). */
export type FieldErrors = Record<string, FieldError>

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/
/** A whole number as typed, spaces around allowed. */
export const WHOLE = /^\s*\d+\s*$/

/** Reads the typed numbers, noting each that is not one; every other rule is the host's. */
export class NumberReader {
  readonly errors: FieldErrors = {}

  number(path: string, value: string): number {
    if (NUMBER.test(value)) return Number(value)
    this.errors[path] = { key: 'number' }
    return NaN
  }

  whole(path: string, value: string): number {
    if (WHOLE.test(value)) return Number(value)
    this.errors[path] = { key: 'wholeNumber' }
    return NaN
  }
}

/**
 * The error for a host's message: the first known wording it matches (with the number it names,
 * if the pattern captures one), or else the message as the host words it.
 */
export function knownFieldError(
  known: readonly { pattern: RegExp; key: string }[],
  text: string,
): FieldError {
  for (const { pattern, key } of known) {
    const m = pattern.exec(text)
    if (m) return m[1] === undefined ? { key } : { key, values: { n: Number(m[1]) } }
  }
  return { text }
}

/**
 * Sorts the host's `INVALID_PARAMS` issues (`path: message`) to the form's fields, the first
 * issue per field winning; an issue not about a field the form shows is returned for the form
 * as a whole.
 */
export function sortIssues(
  issues: readonly string[],
  fieldOf: (path: string) => string,
  isShown: (field: string) => boolean,
  errorOf: (message: string) => FieldError,
): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {}
  const other: string[] = []
  for (const issue of issues) {
    const sep = issue.indexOf(': ')
    const path = sep > 0 ? issue.slice(0, sep) : ''
    const message = sep > 0 ? issue.slice(sep + 2) : issue
    const field = path ? fieldOf(path) : ''
    if (!field || !isShown(field)) {
      other.push(issue)
      continue
    }
    fields[field] ??= errorOf(message)
  }
  return { fields, other }
}
