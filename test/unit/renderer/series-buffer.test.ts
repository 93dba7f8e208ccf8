import { describe, expect, it } from 'vitest'
import {
  appendSample,
  createBuffer,
  lastPoint,
  replaceWith,
  trimBefore,
} from '../../../renderer/src/lib/series-buffer'
import { trendDeadband, trendDirection } from '../../../renderer/src/lib/trend'

describe('series buffer', () => {
  it('appends live samples after the history and drops the ones it already holds', () => {
    const buf = createBuffer(1000)
    replaceWith(buf, [1000, 2000, 3000], [1, 2, 3], 0)
    expect(appendSample(buf, 3000, 3)).toBe(false)
    expect(appendSample(buf, 2500, 9)).toBe(false)
    expect(appendSample(buf, 4000, 4)).toBe(true)
    expect(buf.t).toEqual([1000, 2000, 3000, 4000])
    expect(buf.v).toEqual([1, 2, 3, 4])
  })

  it('breaks the line with a null after a silence of several periods', () => {
    const buf = createBuffer(1000)
    appendSample(buf, 1000, 1)
    appendSample(buf, 2000, 2)
    appendSample(buf, 60_000, 3)
    expect(buf.v).toEqual([1, 2, null, 3])
    expect(buf.t[2]).toBeGreaterThan(2000)
    expect(buf.t[2]).toBeLessThan(60_000)
  })

  it('does not see a gap between coarse min/max history and the first live sample', () => {
    const buf = createBuffer(1000)
    replaceWith(buf, [0, 30_000], [1, 2], 60_000)
    appendSample(buf, 90_000, 3)
    expect(buf.v).toEqual([1, 2, 3])
  })

  it('trims points older than the range but keeps one to enter the chart from the left', () => {
    const buf = createBuffer(1000)
    for (let t = 0; t <= 10_000; t += 1000) appendSample(buf, t, t)
    const version = buf.version
    trimBefore(buf, 5500)
    expect(buf.t[0]).toBe(5000)
    expect(buf.t.at(-1)).toBe(10_000)
    expect(buf.version).toBeGreaterThan(version)
  })

  it('finds the newest value past trailing gaps', () => {
    const buf = createBuffer(1000)
    replaceWith(buf, [1000, 2000, 3000], [5, 6, null], 0)
    expect(lastPoint(buf)).toEqual({ t: 2000, v: 6 })
    expect(lastPoint(createBuffer(1000))).toBeNull()
  })
})

describe('trend direction', () => {
  const ramp = (slopePerS: number, noise = 0) => {
    const buf = createBuffer(1000)
    for (let s = 0; s <= 60; s++)
      appendSample(buf, s * 1000, 50 + slopePerS * s + noise * (-1) ** s)
    return buf
  }

  it('reads a rise, a fall and a flat signal', () => {
    expect(trendDirection(ramp(0.1), 1)).toBe('up')
    expect(trendDirection(ramp(-0.1), 1)).toBe('down')
    expect(trendDirection(ramp(0, 0.5), 1)).toBe('steady')
  })

  it('calls a change inside the deadband steady', () => {
    expect(trendDirection(ramp(0.01), 1)).toBe('steady')
  })

  it('does not guess from a few seconds of data', () => {
    const buf = createBuffer(1000)
    for (let s = 0; s < 5; s++) appendSample(buf, s * 1000, s * 10)
    expect(trendDirection(buf, 1)).toBe('steady')
  })

  it('scales the deadband with the normal range', () => {
    expect(trendDeadband(40, 60, 50)).toBeCloseTo(1)
    expect(trendDeadband(null, null, 200)).toBeCloseTo(4)
  })
})
