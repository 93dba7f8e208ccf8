import { describe, expect, it } from 'vitest'
import { LiveRows } from '../../../../../src/model/service/live-rows'

function collect(sensorIds: string[], periodMs = 1000, hold = 2) {
  const rows: { t: number; row: number[] }[] = []
  const live = new LiveRows(sensorIds, periodMs, hold, (t, row) =>
    rows.push({ t, row: Array.from(row) }),
  )
  return { live, rows }
}

describe('LiveRows', () => {
  it('puts samples of one period into one row, completed when a later row starts', () => {
    const { live, rows } = collect(['a', 'b'])
    live.push({ sensorIds: ['a', 'b', 'x'], t: [1000, 1400, 1500], values: [1, 2, 99] })
    expect(rows).toEqual([])
    live.push({ sensorIds: ['b', 'a'], t: [2100, 2900], values: [4, 3] })
    expect(rows).toEqual([{ t: 1000, row: [1, 2] }])
    live.push({ sensorIds: ['a'], t: [3000], values: [5] })
    expect(rows[1]).toEqual({ t: 2000, row: [3, 4] })
  })

  it('holds a silent sensor for a few rows, then reports it missing', () => {
    const { live, rows } = collect(['a', 'b'], 1000, 2)
    live.push({ sensorIds: ['a', 'b'], t: [0, 0], values: [1, 10] })
    for (let s = 1; s <= 5; s++) live.push({ sensorIds: ['a'], t: [s * 1000], values: [s + 1] })
    expect(rows.map((r) => r.row)).toEqual([
      [1, 10],
      [2, 10],
      [3, 10],
      [4, NaN],
      [5, NaN],
    ])
  })

  it('drops late samples and counts them', () => {
    const { live, rows } = collect(['a'])
    live.push({ sensorIds: ['a', 'a'], t: [5000, 6000], values: [1, 2] })
    live.push({ sensorIds: ['a'], t: [5500], values: [9] })
    expect(live.late).toBe(1)
    expect(rows).toEqual([{ t: 5000, row: [1] }])
  })

  it('marks a long silence with one missing row instead of thousands', () => {
    const { live, rows } = collect(['a'], 1000, 2)
    live.push({ sensorIds: ['a'], t: [0], values: [1] })
    live.push({ sensorIds: ['a'], t: [3_600_000], values: [2] })
    live.push({ sensorIds: ['a'], t: [3_601_000], values: [3] })
    expect(rows.length).toBeLessThan(5)
    expect(rows.some((r) => Number.isNaN(r.row[0]))).toBe(true)
    expect(rows.at(-1)).toEqual({ t: 3_600_000, row: [2] })
  })
})
