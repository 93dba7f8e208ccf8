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
