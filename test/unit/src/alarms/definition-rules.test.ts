import { describe, expect, it } from 'vitest'
import { definitionId } from '../../../../src/alarms/definition-id'
import { checkLimitOrder, describeDefinition } from '../../../../src/alarms/definition-rules'
import type { LimitAlarmDefinition } from '../../../../src/contract'

function limit(level: LimitAlarmDefinition['level'], value: number): LimitAlarmDefinition {
  const def = {
    kind: 'limit' as const,
    name: `${level}`,
    priority: 'low' as const,
    onDelayMs: 0,
    offDelayMs: 0,
    latch: false,
    sensorId: 's1',
    level,
    limit: value,
    deadband: 0,
  }
  return { ...def, id: definitionId(def) }
}

describe('alarm definition rules', () => {
  it('derives one id per sensor and level, and per source and condition', () => {
    expect(limit('HH', 1).id).toBe('limit.s1.HH')
    expect(
      definitionId({
        kind: 'source',
        name: 'x',
        priority: 'low',
        sourceId: 'COM3 bus/1',
        condition: 'stale',
      }),
    ).toBe('source.COM3_bus_1.stale')
  })

  it('accepts limits in order and refuses one that crosses a neighbour', () => {
    const others = [limit('LL', 0), limit('L', 10), limit('HH', 100)]
    expect(() => checkLimitOrder(limit('H', 90), others)).not.toThrow()
    expect(() => checkLimitOrder(limit('H', 120), others)).toThrow(/at or below the HH limit/)
    expect(() => checkLimitOrder(limit('H', 5), others)).toThrow(/at or above the L limit/)
    // Editing a limit is not checked against its own old value.
    expect(() => checkLimitOrder(limit('L', 50), others)).not.toThrow()
  })

  it('describes a definition for the journal', () => {
    expect(describeDefinition(limit('HH', 100))).toBe(
      's1 HH > 100 (deadband 0), low, on-delay 0 s, off-delay 0 s',
    )
  })
})
