import { describe, expect, it } from 'vitest'
import { formatTime, formatValue, limitState } from '../../../renderer/src/lib/format'
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
