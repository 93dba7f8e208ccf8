const numberFormats = new Map<string, Intl.NumberFormat>()

/** Formats a value with the sensor's fixed decimals, so digits do not jump as it changes. */
export function formatValue(value: number, decimals: number, locale: string): string {
  const key = `${locale}|${decimals}`
  let fmt = numberFormats.get(key)
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    })
    numberFormats.set(key, fmt)
  }
  return fmt.format(value)
}

const pad = (n: number) => String(n).padStart(2, '0')

/** 24-hour `HH:mm:ss`, or `HH:mm` without seconds; plant time is never shown as am/pm. */
export function formatTime(ms: number, seconds = true): string {
  const d = new Date(ms)
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm
}

/** `YYYY-MM-DD`, the same in every language and unambiguous in both. */
export function formatDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** Where a value sits against its normal range. */
export type LimitState = 'normal' | 'high' | 'low'

export function limitState(value: number, min: number | null, max: number | null): LimitState {
  if (max !== null && value > max) return 'high'
  if (min !== null && value < min) return 'low'
  return 'normal'
}

/** `YYYY-MM-DD HH:mm:ss`, or without seconds: a moment that may be on another day. */
export function formatDateTime(ms: number, seconds = true): string {
  return `${formatDate(ms)} ${formatTime(ms, seconds)}`
}

const DAY_MS = 86_400_000

/**
 * A moment on a trend: the time alone when the view is within a day, else with its date;
 * seconds while the view is short enough for them to matter.
 */
export function formatStamp(ms: number, viewMs: number): string {
  return viewMs >= DAY_MS ? formatDateTime(ms, false) : formatTime(ms, viewMs < 6 * 3_600_000)
}

const UNITS = [
  { unit: 'd', ms: DAY_MS },
  { unit: 'h', ms: 3_600_000 },
  { unit: 'min', ms: 60_000 },
  { unit: 's', ms: 1000 },
] as const

export type DurationUnit = (typeof UNITS)[number]['unit'] | 'ms'

/**
 * A duration in its largest unit and the next one ("1 h 30 min"), rounded to the second, or
 * in milliseconds under a second; `label` words one part in the current language.
 */
export function formatDuration(
  ms: number,
  label: (unit: DurationUnit, n: number) => string,
  separator = ' ',
): string {
  // Under a second only milliseconds say anything (a maintenance run, a small backup).
  if (ms < 1000) return label('ms', Math.max(0, Math.round(ms)))
  const total = Math.round(ms / 1000) * 1000
  const first = UNITS.findIndex((u) => total >= u.ms)
  const big = UNITS[first]
  const n = Math.floor(total / big.ms)
  const parts = [label(big.unit, n)]
  const small = UNITS[first + 1]
  const m = small ? Math.floor((total - n * big.ms) / small.ms) : 0
  if (small && m > 0) parts.push(label(small.unit, m))
  return parts.join(separator)
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const

/** A size in binary units, as file managers on plant PCs show them (1 MB = 1024 KB). */
export function formatBytes(bytes: number, locale: string): string {
  let value = bytes
  let i = 0
  while (Math.abs(value) >= 1024 && i < BYTE_UNITS.length - 1) {
    value /= 1024
    i++
  }
  const decimals = i === 0 || Math.abs(value) >= 100 ? 0 : 1
  return `${formatValue(value, decimals, locale)} ${BYTE_UNITS[i]}`
}

/** A count with the language's grouping ("1,234,567"). */
export function formatCount(n: number, locale: string): string {
  return formatValue(n, 0, locale)
}

/** Both ends of a span: the date once when it starts and ends on the same day. */
export function formatSpan(from: number, to: number): string {
  const seconds = to - from < 6 * 3_600_000
  if (formatDate(from) === formatDate(to - 1)) {
    return `${formatDateTime(from, seconds)} – ${formatTime(to, seconds)}`
  }
  return `${formatDateTime(from, seconds)} – ${formatDateTime(to, seconds)}`
}
