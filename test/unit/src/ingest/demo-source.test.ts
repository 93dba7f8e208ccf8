import { describe, expect, it } from 'vitest'
import { DemoSource } from '../../../../src/ingest/demo-plant/demo-source'
import type { Sample } from '../../../../src/ingest/sample'
import { FakeClock } from '../../../helpers/fake-clock'

/** Runs the demo plant for `seconds` of simulated time and returns the last reading per sensor. */
function run(source: DemoSource, clock: FakeClock, seconds: number): Map<string, number> {
  const last = new Map<string, number>()
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000)
    for (const s of source.read(clock.now())) last.set(s.sensorId, s.value)
  }
  return last
}

function mean(source: DemoSource, clock: FakeClock, seconds: number, id: string): number {
  let sum = 0
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000)
    sum += source.read(clock.now()).find((s) => s.sensorId === id)?.value ?? NaN
  }
  return sum / seconds
}

describe('DemoSource (the simulated pump)', () => {
  it('gives the 8 pump channels with units, names in both languages and normal ranges', () => {
    const source = new DemoSource({ clock: new FakeClock() })
    const sensors = source.sensors()
    expect(sensors.map((s) => s.id)).toEqual([
      'pump.vib_de',
      'pump.vib_nde',
      'pump.current',
      'pump.pressure',
      'pump.motor_temp',
      'pump.fluid_temp',
      'pump.voltage',
      'pump.flow',
    ])
    for (const s of sensors) {
      expect(s.unit).not.toBe('')
      expect(s.localizedNames['zh-CN']).toBeTruthy()
      expect(s.normalMin).toBeLessThan(s.normalMax ?? -Infinity)
      expect(s.periodMs).toBe(1000)
    }
  })

  it('stays inside every normal range for an hour of normal running, with noise on every channel', () => {
    const clock = new FakeClock()
    const source = new DemoSource({ clock, seed: 3 })
    const ranges = new Map(source.sensors().map((s) => [s.id, s]))
    const seen = new Map<string, Set<string>>()
    for (let i = 0; i < 3600; i++) {
      clock.advance(1000)
      for (const s of source.read(clock.now())) {
        const r = ranges.get(s.sensorId)
        expect(s.value).toBeGreaterThanOrEqual(r?.normalMin ?? NaN)
        expect(s.value).toBeLessThanOrEqual(r?.normalMax ?? NaN)
        if (!seen.has(s.sensorId)) seen.set(s.sensorId, new Set())
        seen.get(s.sensorId)?.add(s.value.toFixed(4))
      }
    }
    for (const values of seen.values()) expect(values.size).toBeGreaterThan(100)
  })

  it('is repeatable for a seed and different across seeds', () => {
    const a = new DemoSource({ clock: new FakeClock(), seed: 11 })
    const b = new DemoSource({ clock: new FakeClock(), seed: 11 })
    const c = new DemoSource({ clock: new FakeClock(), seed: 12 })
    const t = Date.UTC(2026, 0, 1)
    const va = a.read(t).map((s) => s.value)
    expect(b.read(t).map((s) => s.value)).toEqual(va)
    expect(c.read(t).map((s) => s.value)).not.toEqual(va)
  })

  it('closing the valve lowers flow and current and raises pressure; returning to normal recovers', () => {
    const clock = new FakeClock()
    const source = new DemoSource({ clock, seed: 5 })
    run(source, clock, 60)
    const before = {
      flow: mean(source, clock, 30, 'pump.flow'),
      pressure: mean(source, clock, 30, 'pump.pressure'),
    }
    const state = source.setFault('valve-closing')
    expect(state).toEqual({ fault: 'valve-closing', since: clock.now() })
    run(source, clock, 120)
    const closed = {
      flow: mean(source, clock, 30, 'pump.flow'),
      pressure: mean(source, clock, 30, 'pump.pressure'),
    }
    expect(closed.flow).toBeLessThan(before.flow * 0.65)
    expect(closed.pressure).toBeGreaterThan(before.pressure * 1.1)
    expect(closed.flow).toBeLessThan(
      source.sensors().find((s) => s.id === 'pump.flow')?.normalMin ?? 0,
    )
    expect(source.setFault('none')).toEqual({ fault: 'none', since: null })
    run(source, clock, 180)
    expect(mean(source, clock, 30, 'pump.flow')).toBeGreaterThan(before.flow * 0.95)
  })

  it('a wearing bearing raises drive-end vibration first and most', () => {
    const clock = new FakeClock()
    const source = new DemoSource({ clock, seed: 9 })
    run(source, clock, 60)
    const vibBefore = mean(source, clock, 30, 'pump.vib_de')
    source.setFault('bearing-wear')
    run(source, clock, 240)
    const vibAfter = mean(source, clock, 30, 'pump.vib_de')
    expect(vibAfter).toBeGreaterThan(vibBefore * 2)
    expect(vibAfter).toBeGreaterThan(source.sensors()[0]?.normalMax ?? Infinity)
  })

  it('streams one sample per channel per period once started, and stops when told', () => {
    const clock = new FakeClock()
    const source = new DemoSource({ clock, rateHz: 2 })
    const got: Sample[] = []
    source.start((s) => got.push(...s))
    clock.advance(5000)
    expect(got).toHaveLength(8 * 10)
    expect(new Set(got.map((s) => s.t)).size).toBe(10)
    expect(source.status()).toMatchObject({
      id: 'demo',
      kind: 'demo',
      state: 'running',
      lastSampleAt: clock.now(),
    })
    source.stop()
    clock.advance(5000)
    expect(got).toHaveLength(80)
    expect(source.status().state).toBe('stopped')
  })
})
