import { describe, expect, it } from 'vitest'
import {
  appendSample,
  createBuffer,
  gridOrigin,
  liveBucketMs,
  replaceWith,
  trimBefore,
} from '../../../renderer/src/lib/series-buffer'

/** A buffer merging live samples into 10 s buckets whose grid starts at 0. */
function bucketed(t: number[] = [], v: (number | null)[] = [], historyBucketMs = 10_000) {
  const buf = createBuffer(1000)
  replaceWith(buf, t, v, historyBucketMs, { bucketMs: 10_000, origin: 0 })
  return buf
}

const points = (buf: { t: number[]; v: (number | null)[] }) => buf.t.map((t, i) => [t, buf.v[i]])

describe('live samples merged into min/max buckets', () => {
  it('keeps at most two points per bucket, min and max in the order they happened', () => {
    const buf = bucketed()
    const samples: [number, number][] = [
      [1000, 5],
      [2000, 7],
      [3000, 3],
      [4000, 6],
      [5000, 4],
    ]
    for (const [t, v] of samples) appendSample(buf, t, v)
    expect(points(buf)).toEqual([
      [2000, 7],
      [3000, 3],
    ])
  })

  it('shows a single-sample bucket as one point and opens a new bucket past the edge', () => {
    const buf = bucketed()
    appendSample(buf, 1000, 5)
    expect(points(buf)).toEqual([[1000, 5]])
    appendSample(buf, 11_000, 8)
    appendSample(buf, 12_000, 2)
    expect(points(buf)).toEqual([
      [1000, 5],
      [11_000, 8],
      [12_000, 2],
    ])
  })

  it('does not grow with samples that change neither extreme', () => {
    const buf = bucketed()
    appendSample(buf, 0, 0)
    appendSample(buf, 1, 100)
    for (let t = 2; t < 9000; t++) appendSample(buf, t, 50)
    expect(buf.t).toHaveLength(2)
  })

  it('keeps filling the last bucket of the history, which ended at the query', () => {
    // The host's bucket 0 holds min 4 (first) then max 9, at its fixed offsets.
    const buf = bucketed([0, 5000], [4, 9])
    appendSample(buf, 8000, 12)
    expect(points(buf)).toEqual([
      [0, 4],
      [8000, 12],
    ])
    appendSample(buf, 9000, 1)
    expect(points(buf)).toEqual([
      [8000, 12],
      [9000, 1],
    ])
  })

  it('breaks the line across buckets with no data', () => {
    const buf = bucketed()
    appendSample(buf, 1000, 5)
    appendSample(buf, 45_000, 6)
    expect(buf.v).toEqual([5, null, 6])
  })

  it('drops samples it already holds', () => {
    const buf = bucketed()
    expect(appendSample(buf, 1000, 5)).toBe(true)
    expect(appendSample(buf, 1000, 99)).toBe(false)
    expect(appendSample(buf, 500, -99)).toBe(false)
    expect(points(buf)).toEqual([[1000, 5]])
  })

  it('closes the open bucket when trimming reaches it', () => {
    const buf = bucketed()
    appendSample(buf, 1000, 5)
    appendSample(buf, 11_000, 1)
    appendSample(buf, 12_000, 9)
    trimBefore(buf, 50_000)
    expect(buf.t).toEqual([12_000])
    expect(buf.open).toBeNull()
    appendSample(buf, 51_000, 3)
    expect(buf.v.at(-1)).toBe(3)
  })

  it('appends every sample when the range fits the chart', () => {
    const buf = createBuffer(1000)
    replaceWith(buf, [], [], 0)
    for (let t = 0; t < 10_000; t += 1000) appendSample(buf, t, t)
    expect(buf.t).toHaveLength(10)
  })
})

describe('live bucket width', () => {
  it("follows the history's buckets", () => {
    expect(liveBucketMs(60_000, 86_400_000, 300, 1000)).toBe(60_000)
  })

  it('keeps raw samples while the whole range fits the chart', () => {
    expect(liveBucketMs(0, 60_000, 300, 1000)).toBe(0)
  })

  it('buckets a long range even when its history came back raw for lack of data', () => {
    const year = 365 * 86_400_000
    expect(liveBucketMs(0, year, 300, 1000)).toBe(Math.ceil(year / 150))
  })
})

describe('bucket grid', () => {
  const H = 3_600_000

  it("continues the history's grid, which the host aligns with its hourly rollups", () => {
    const from = 10 * H + 1234
    const t = [10 * H, 10 * H + 1.5 * H, 13 * H, 13 * H + 1.5 * H]
    const origin = gridOrigin(t, 3 * H, from)
    expect(origin).toBe(10 * H)
    const buf = createBuffer(1000)
    replaceWith(buf, t, [1, 2, 3, 4], 3 * H, { bucketMs: 3 * H, origin })
    // Still inside the bucket that started at 13 h: it grows that bucket, not a new one.
    appendSample(buf, 15 * H, 9)
    expect(buf.t).toHaveLength(4)
    expect(buf.v.at(-1)).toBe(9)
    appendSample(buf, 16 * H + 1, 0)
    expect(buf.t).toHaveLength(5)
  })

  it("uses the query's start when the history holds no buckets", () => {
    expect(gridOrigin([], 60_000, 5000)).toBe(5000)
    expect(gridOrigin([1, 2], 0, 5000)).toBe(5000)
  })
})
