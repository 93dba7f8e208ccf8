import { describe, expect, it } from 'vitest'
import { events, methods, sampleBatchSchema, sensorIdSchema } from '../../../../src/contract'

describe('contract schemas', () => {
  it('accepts a columnar sample batch and refuses one with ragged columns', () => {
    expect(
      sampleBatchSchema.safeParse({ sensorIds: ['a', 'b'], t: [1, 2], values: [0.5, 1] }).success,
    ).toBe(true)
    expect(
      sampleBatchSchema.safeParse({ sensorIds: ['a', 'b'], t: [1], values: [0.5, 1] }).success,
    ).toBe(false)
    expect(events.samples).toBe(sampleBatchSchema)
  })

  it('refuses sensor ids with spaces, slashes or nothing at all', () => {
    expect(sensorIdSchema.safeParse('pump.vib_de').success).toBe(true)
    for (const bad of ['', 'a b', '../etc', 'x'.repeat(129)])
      expect(sensorIdSchema.safeParse(bad).success).toBe(false)
  })

  it('requires a time range that moves forward and a sane number of points', () => {
    const p = methods.querySeries.params
    expect(p.safeParse({ sensorIds: ['a'], from: 0, to: 1000, maxPoints: 500 }).success).toBe(true)
    expect(p.safeParse({ sensorIds: ['a'], from: 1000, to: 1000, maxPoints: 500 }).success).toBe(
      false,
    )
    expect(p.safeParse({ sensorIds: ['a'], from: 0, to: 1000, maxPoints: 1_000_000 }).success).toBe(
      false,
    )
    expect(p.safeParse({ sensorIds: ['a'], from: -5, to: 1000, maxPoints: 500 }).success).toBe(
      false,
    )
    expect(p.safeParse({ sensorIds: ['a'], from: 0.5, to: 1000, maxPoints: 500 }).success).toBe(
      false,
    )
  })

  it('knows only the scripted demo faults', () => {
    expect(methods.setDemoFault.params.safeParse({ fault: 'bearing-wear' }).success).toBe(true)
    expect(methods.setDemoFault.params.safeParse({ fault: 'meltdown' }).success).toBe(false)
  })
})
