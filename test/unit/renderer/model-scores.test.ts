import { describe, expect, it } from 'vitest'
import {
  appendStretches,
  formatScore,
  formatShare,
  heatLevels,
  rankContributors,
  scoreYRange,
  stretchesAbove,
  trimStretches,
  type Stretch,
} from '../../../renderer/src/lib/model-scores'
import { expectedSensorId, isModelSensor } from '../../../renderer/src/lib/model-ids'
import { expectedExtent } from '../../../renderer/src/lib/trend-chart-options'
import { appendSample, createBuffer } from '../../../renderer/src/lib/series-buffer'

describe('contributors', () => {
  it('ranks the sensors by share, largest first, without the ones that add nothing', () => {
    expect(rankContributors(['a', 'b', 'c', 'd'], [0.1, 0.6, 0, 0.3], 2)).toEqual([
      { sensorId: 'b', share: 0.6 },
      { sensorId: 'd', share: 0.3 },
    ])
    expect(rankContributors(['a', 'b'], [0.5, 0.5]).map((c) => c.sensorId)).toEqual(['a', 'b'])
    expect(rankContributors(['a', 'b'], [Number.NaN])).toEqual([])
  })

  it('words scores and shares', () => {
    expect(formatScore(0.012345, 'en')).toBe('0.0123')
    expect(formatScore(null, 'en')).toBe('—')
    expect(formatShare(0.456, 'en')).toBe('46 %')
    expect(formatShare(0.0123, 'en')).toBe('1.2 %')
  })
})

describe('flagged stretches', () => {
  it('joins runs of flags and continues an open stretch from the previous batch', () => {
    const s: Stretch[] = []
    appendStretches(s, [1000, 2000, 3000, 4000], [false, true, true, false], 3000)
    expect(s).toEqual([{ from: 2000, to: 3000 }])
    appendStretches(s, [5000, 6000], [true, true], 3000)
    expect(s).toEqual([
      { from: 2000, to: 3000 },
      { from: 5000, to: 6000, open: true },
    ])
    appendStretches(s, [7000, 8000], [true, false], 3000)
    expect(s[1]).toEqual({ from: 5000, to: 7000 })
    // A silence longer than the gap starts a new stretch even when both ends are flagged.
    appendStretches(s, [9000], [true], 3000)
    appendStretches(s, [20_000], [true], 3000)
    expect(s.slice(2)).toEqual([
      { from: 9000, to: 9000 },
      { from: 20_000, to: 20_000, open: true },
    ])
  })

  it('rebuilds them from a stored score: above the threshold for long enough', () => {
    const t = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    const v = [0, 2, 0, 2, 2, 2, null, 2, 2]
    expect(stretchesAbove(t, v, 1, 2)).toEqual([
      { from: 3, to: 5 },
      { from: 7, to: 8 },
    ])
    expect(stretchesAbove(t, v, 1, 1)).toHaveLength(3)
  })

  it('drops the ones that left the window', () => {
    const s = [
      { from: 0, to: 10 },
      { from: 20, to: 30 },
    ]
    trimStretches(s, 15)
    expect(s).toEqual([{ from: 20, to: 30 }])
  })
})

describe('score chart', () => {
  it('keeps 0, the threshold (with room above it) and the data in view', () => {
    expect(scoreYRange(0.5, 1)).toEqual([0, 1.5 * 1.08])
    expect(scoreYRange(3, 1)).toEqual([0, 3 * 1.08])
    expect(scoreYRange(null, null)).toEqual([0, 1])
  })

  it('scales attention weights to the largest one', () => {
    expect(
      heatLevels([
        [0.5, 0.25],
        [0, 0.5],
      ]),
    ).toEqual([
      [1, 0.5],
      [0, 1],
    ])
    expect(heatLevels([[0, 0]])).toEqual([[0, 0]])
  })

  it('finds the expected values inside the view for the y range', () => {
    const buf = createBuffer(1000)
    ;[5, 9, 2, 7].forEach((v, i) => appendSample(buf, 1000 * (i + 1), v))
    expect(expectedExtent(buf, 1500, 3500)).toEqual([2, 9])
    expect(expectedExtent(null, 0, 1)).toEqual([null, null])
  })
})

describe('model sensor ids', () => {
  it('tells the model series from measurements', () => {
    expect(expectedSensorId('pump.flow')).toBe('model:expected:pump.flow')
    expect(isModelSensor('model:score')).toBe(true)
    expect(isModelSensor('pump.flow')).toBe(false)
  })
})
