import { describe, expect, it } from 'vitest'
import type { SourceConfig, SourceHealth, SourceStatus } from '@vigil/contract'
import {
  badInputByKind,
  badInputTotal,
  connectionOf,
  hasDetail,
  silentSlaves,
  sourceRows,
} from '../../../renderer/src/lib/source-status'

const config: SourceConfig = {
  id: 'bench',
  name: 'Bench',
  enabled: true,
  kind: 'serial-lines',
  serial: { path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 8, parity: 'even', stopBits: 1 },
  format: {
    kind: 'kv',
    pairSeparator: ' ',
    keyValueSeparator: '=',
    keys: { p: 'b.p' },
    maxLineLength: 1024,
  },
  channels: [
    {
      id: 'b.p',
      name: 'P',
      unit: '',
      scale: 1,
      offset: 0,
      expectedMin: null,
      expectedMax: null,
      decimals: 2,
    },
  ],
}
const status = (id: string, patch: Partial<SourceStatus> = {}): SourceStatus => ({
  id,
  kind: 'demo',
  name: id,
  state: 'running',
  samplesPerS: 5,
  lastSampleAt: 1,
  lastError: null,
  ...patch,
})
const health: SourceHealth = {
  id: 'bench',
  errorCounts: { malformed: 2, 'out-of-range': 5, crc: 0 },
  recentErrors: [],
  slaves: [],
  outages: [],
}

describe('sources list', () => {
  it('lists configured sources with their status, then sources only the host knows', () => {
    const rows = sourceRows([config], [status('demo'), status('bench')], { bench: health })
    expect(rows.map((r) => [r.id, r.config !== null, r.status?.id, r.health !== null])).toEqual([
      ['bench', true, 'bench', true],
      ['demo', false, 'demo', false],
    ])
  })

  it('names the Modbus slaves that do not answer', () => {
    const slaves = [
      { slaveId: 1, answering: true },
      { slaveId: 4, answering: false },
      { slaveId: 7, answering: false },
    ]
    expect(silentSlaves(status('plc', { slaves }))).toEqual([4, 7])
    expect(silentSlaves(status('bench'))).toEqual([])
    expect(silentSlaves(null)).toEqual([])
  })

  it('sums and orders bad input, leaving out kinds that never happened', () => {
    expect(badInputTotal(health)).toBe(7)
    expect(badInputByKind(health)).toEqual([
      { kind: 'out-of-range', count: 5 },
      { kind: 'malformed', count: 2 },
    ])
  })

  it('describes the connection and when a row needs a detail line', () => {
    expect(connectionOf(config)).toBe('/dev/ttyUSB0 · 9600 8E1')
    const [row] = sourceRows([config], [status('bench')], {})
    expect(row && hasDetail(row)).toBe(false)
    const [failing] = sourceRows([config], [status('bench', { lastError: 'port gone' })], {})
    expect(failing && hasDetail(failing)).toBe(true)
  })
})
