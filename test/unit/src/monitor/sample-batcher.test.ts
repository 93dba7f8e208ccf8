import { describe, expect, it } from 'vitest'
import type { SampleBatch } from '../../../../src/contract'
import { SampleBatcher } from '../../../../src/monitor/sample-batcher'
import { FakeClock } from '../../../helpers/fake-clock'

const sample = (i: number) => ({ sensorId: `s${i % 3}`, t: 1000 + i, value: i / 2 })

describe('SampleBatcher', () => {
  it('hands samples on as one columnar batch about 250 ms after the first one', () => {
    const clock = new FakeClock()
    const batches: SampleBatch[] = []
    const b = new SampleBatcher({ clock, onFlush: (x) => batches.push(x) })
    b.push([sample(0), sample(1)])
    clock.advance(100)
    b.push([sample(2)])
    clock.advance(149)
    expect(batches).toHaveLength(0)
    clock.advance(1)
    expect(batches).toEqual([
      { sensorIds: ['s0', 's1', 's2'], t: [1000, 1001, 1002], values: [0, 0.5, 1] },
    ])
    clock.advance(10_000)
    expect(batches).toHaveLength(1)
  })

  it('flushes at once when the batch is full', () => {
    const clock = new FakeClock()
    const sizes: number[] = []
    const b = new SampleBatcher({ clock, maxSamples: 4, onFlush: (x) => sizes.push(x.t.length) })
    b.push([0, 1, 2, 3, 4].map(sample))
    expect(sizes).toEqual([5])
    expect(b.pending).toBe(0)
  })

  it('flush() hands on what waits and cancels the timer', () => {
    const clock = new FakeClock()
    const sizes: number[] = []
    const b = new SampleBatcher({ clock, onFlush: (x) => sizes.push(x.t.length) })
    b.push([sample(0)])
    b.flush()
    b.flush()
    clock.advance(1000)
    expect(sizes).toEqual([1])
  })
})
