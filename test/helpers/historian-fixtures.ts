import type { Sensor } from '../../src/contract'

/** A sensor description for historian tests. */
export function testSensor(id: string, periodMs = 1000): Sensor {
  return {
    id,
    name: id,
    localizedNames: {},
    unit: 'u',
    sourceId: 'test',
    normalMin: null,
    normalMax: null,
    periodMs,
    decimals: 2,
  }
}
