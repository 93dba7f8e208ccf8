import { describe, expect, it } from 'vitest'
import { HostStamp } from '../../../../src/ingest/host-stamp'

describe('HostStamp', () => {
  it('never gives the same time twice, and follows the clock when it moves on', () => {
    const s = new HostStamp()
    expect([
      s.next(1000),
      s.next(1000),
      s.next(1000),
      s.next(1001),
      s.next(1500),
      s.next(1400),
    ]).toEqual([1000, 1001, 1002, 1003, 1500, 1501])
  })
})
