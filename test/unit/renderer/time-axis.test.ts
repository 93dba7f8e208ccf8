import { describe, expect, it } from 'vitest'
import { timeTickLabels } from '../../../renderer/src/lib/time-axis'

const at = (...parts: [number, number, number, number?, number?, number?]) =>
  new Date(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0).getTime()

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H

describe('time axis labels', () => {
  it('shows seconds only when the step needs them', () => {
    expect(timeTickLabels([at(2025, 3, 4, 10, 5, 30)], 10 * S)).toEqual(['10:05:30'])
    expect(timeTickLabels([at(2025, 3, 4, 10, 5)], 5 * M)).toEqual(['10:05'])
  })

  it('marks midnight with the date within a day or two', () => {
    expect(timeTickLabels([at(2025, 3, 4, 18), at(2025, 3, 5), at(2025, 3, 5, 6)], 6 * H)).toEqual([
      '18:00',
      '03-05',
      '06:00',
    ])
  })

  it('labels days for a week or a month and months for a year', () => {
    expect(timeTickLabels([at(2025, 3, 4), at(2025, 3, 6)], 2 * D)).toEqual(['03-04', '03-06'])
    expect(timeTickLabels([at(2025, 1, 1), at(2025, 4, 1)], 90 * D)).toEqual(['2025-01', '2025-04'])
  })
})
