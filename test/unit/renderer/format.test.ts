import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatDuration,
  formatSpan,
  formatStamp,
  formatTime,
  formatValue,
  limitState,
} from '../../../renderer/src/lib/format'
import { yRange } from '../../../renderer/src/lib/trend-chart-options'

describe('value formatting', () => {
  it('keeps the sensor decimals, in both languages', () => {
    expect(formatValue(0.2, 3, 'en')).toBe('0.200')
    expect(formatValue(1450.04, 1, 'zh-CN')).toBe('1,450.0')
  })

  it('shows plant time on a 24-hour clock', () => {
    const t = new Date(2025, 0, 2, 15, 4, 5).getTime()
    expect(formatTime(t)).toBe('15:04:05')
    expect(formatTime(t, false)).toBe('15:04')
  })

  it('tells a value outside its normal range', () => {
    expect(limitState(51, 34, 50)).toBe('high')
    expect(limitState(33.9, 34, 50)).toBe('low')
    expect(limitState(34, 34, 50)).toBe('normal')
    expect(limitState(1e9, null, null)).toBe('normal')
  })
})

describe('durations, sizes and spans', () => {
  const words = (unit: string, n: number) => `${n} ${unit}`

  it('words a duration in its two largest units', () => {
    expect(formatDuration(340, words)).toBe('340 ms')
    expect(formatDuration(45_000, words)).toBe('45 s')
    expect(formatDuration(224_000, words)).toBe('3 min 44 s')
    expect(formatDuration(3_600_000 + 30_000, words)).toBe('1 h')
    expect(formatDuration(8 * 86_400_000 + 5 * 3_600_000 + 1000, words)).toBe('8 d 5 h')
  })

  it('sizes files in binary units', () => {
    expect(formatBytes(512, 'en')).toBe('512 B')
    expect(formatBytes(41_208, 'en')).toBe('40.2 KB')
    expect(formatBytes(3 * 1024 ** 3, 'en')).toBe('3.0 GB')
    expect(formatBytes(700 * 1024 ** 2, 'en')).toBe('700 MB')
  })

  it('dates a moment once the view spans days', () => {
    const t = new Date(2025, 0, 2, 15, 4, 5).getTime()
    expect(formatStamp(t, 15 * 60_000)).toBe('15:04:05')
    expect(formatStamp(t, 8 * 3_600_000)).toBe('15:04')
    expect(formatStamp(t, 7 * 86_400_000)).toBe('2025-01-02 15:04')
  })

  it('writes the date of a span once when it stays within a day', () => {
    const from = new Date(2025, 0, 2, 15, 4, 5).getTime()
    expect(formatSpan(from, from + 300_000)).toBe('2025-01-02 15:04:05 – 15:09:05')
    expect(formatSpan(from, from + 2 * 86_400_000)).toBe('2025-01-02 15:04 – 2025-01-04 15:04')
  })
})

describe('trend y range', () => {
  it('keeps the normal range in view around the data', () => {
    const [lo, hi] = yRange(42, 43, 34, 50)
    expect(lo).toBeLessThan(34)
    expect(hi).toBeGreaterThan(50)
  })

  it('widens to show an excursion beyond the normal range', () => {
    const [, hi] = yRange(40, 70, 34, 50)
    expect(hi).toBeGreaterThan(70)
  })

  it('has a usable range with no data and no limits', () => {
    expect(yRange(null, null, null, null)).toEqual([0, 1])
    const [lo, hi] = yRange(5, 5, null, null)
    expect(hi).toBeGreaterThan(lo)
  })
})
