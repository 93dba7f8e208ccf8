import { describe, expect, it } from 'vitest'
import { summarize } from '../../../../src/alarms/alarm-view'
import type { AlarmPriority, AlarmState } from '../../../../src/contract'

const row = (priority: AlarmPriority, state: AlarmState) => ({ priority, state })

describe('summarize (the banner counts)', () => {
  it('is calm when nothing is annunciated', () => {
    expect(summarize([row('critical', 'normal'), row('high', 'normal')])).toEqual({
      unacked: 0,
      unackedByPriority: { critical: 0, high: 0, medium: 0, low: 0 },
      active: 0,
      shelved: 0,
      suppressed: 0,
      outOfService: 0,
      highest: null,
    })
  })

  it('counts what waits for an acknowledgement per priority, and names the most urgent shown', () => {
    const s = summarize([
      row('low', 'unacked'),
      row('medium', 'rtn-unacked'),
      row('medium', 'latched'),
      row('high', 'acked'),
      row('critical', 'shelved'),
      row('critical', 'out-of-service'),
      row('high', 'suppressed'),
    ])
    expect(s.unacked).toBe(3)
    expect(s.unackedByPriority).toEqual({ critical: 0, high: 0, medium: 2, low: 1 })
    // Acknowledged but still active: shown, so it still sets the banner's colour.
    expect(s.highest).toBe('high')
    expect(s.active).toBe(2)
    expect(s).toMatchObject({ shelved: 1, outOfService: 1, suppressed: 1 })
  })

  it('hidden alarms never set the banner', () => {
    const s = summarize([row('critical', 'shelved'), row('low', 'unacked')])
    expect(s.highest).toBe('low')
  })
})
