import { describe, expect, it } from 'vitest'
import { builtInName } from '../../../renderer/src/lib/alarm-names'

describe('builtInName', () => {
  it('recognises the names the core gives the alarms it creates', () => {
    expect(builtInName('model', 'Anomaly detected by the model')).toEqual({ key: 'model' })
    expect(builtInName('source.plc.disconnected', 'PLC line 2: disconnected')).toEqual({
      key: 'disconnected',
      source: 'PLC line 2',
    })
    expect(builtInName('source.plc.stale', 'PLC line 2: no new data')).toEqual({
      key: 'stale',
      source: 'PLC line 2',
    })
    expect(builtInName('source.plc.no-answer.12', 'PLC line 2: slave 12 not answering')).toEqual({
      key: 'no-answer',
      source: 'PLC line 2',
      slave: 12,
    })
  })

  it('leaves a name an engineer chose, and limit alarms, as written', () => {
    expect(builtInName('model', 'Pump P-101 abnormal')).toBeNull()
    expect(builtInName('source.plc.stale', 'PLC line 2 silent')).toBeNull()
    expect(builtInName('source.plc.stale', 'PLC line 2: disconnected')).toBeNull()
    expect(builtInName('limit.pump.flow.L', 'Anomaly detected by the model')).toBeNull()
    expect(builtInName('source.plc.no-answer.12', 'PLC: slave 2 not answering')).toBeNull()
    expect(builtInName('source.plc.no-answer.12', 'Flow meter FT-12 silent')).toBeNull()
  })
})
