import type { Channel, Sensor } from '../contract'

/** The sensors a source's channels become: one each, with their history kept by id. */
export function channelSensors(
  sourceId: string,
  channels: readonly Channel[],
  periodMs: number,
): Sensor[] {
  return channels.map((c) => ({
    id: c.id,
    name: c.name,
    localizedNames: {},
    unit: c.unit,
    sourceId,
    normalMin: c.expectedMin,
    normalMax: c.expectedMax,
    periodMs,
    decimals: c.decimals,
  }))
}
