import { formatTime } from './format'

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H
/** uPlot reads multiples of 30 days as calendar months and of 365 days as years. */
const MO = 30 * D
const Y = 365 * D

/**
 * Tick steps for the time axis, from seconds to years. uPlot's own list jumps from 1 to 5
 * minutes; days go 1, 2, 7, 14 so that week ticks are weeks.
 */
export const TIME_INCRS = [
  ...[1, 2, 5, 10, 15, 30].map((n) => n * S),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * M),
  ...[1, 2, 3, 4, 6, 12].map((n) => n * H),
  ...[1, 2, 7, 14].map((n) => n * D),
  ...[1, 2, 3, 6].map((n) => n * MO),
  ...[1, 2, 5, 10].map((n) => n * Y),
]

const pad = (n: number) => String(n).padStart(2, '0')

const isMidnight = (d: Date) => d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0

/**
 * Labels for the ticks of a time axis, to suit the step between them: months for a year,
 * `MM-DD` days for a week or a month, `HH:mm` within a day with the date at each midnight,
 * seconds only when the step needs them. Numeric in every language, 24-hour like plant time.
 */
export function timeTickLabels(splits: readonly number[], incrMs: number): string[] {
  return splits.map((ms) => {
    const d = new Date(ms)
    if (incrMs >= 28 * D) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`
    if (incrMs >= D || isMidnight(d)) return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
    return formatTime(ms, incrMs < M || ms % M !== 0)
  })
}
