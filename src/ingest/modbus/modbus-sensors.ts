import type { Sensor, SourceConfig } from '../../contract'

/** One sensor per configured register, its normal range the register's expected range. */
export function modbusSensors(config: Extract<SourceConfig, { kind: 'modbus-rtu' }>): Sensor[] {
  return config.registers.map((r) => ({
    id: r.id,
    name: r.name,
    localizedNames: {},
    unit: r.unit,
    sourceId: config.id,
    normalMin: r.expectedMin,
    normalMax: r.expectedMax,
    periodMs: config.pollMs,
    decimals: r.decimals,
  }))
}
