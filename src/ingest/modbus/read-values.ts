import type { Sample } from '../sample'
import { decodeBit, decodeRegisters, scaleValue } from './decode'
import type { ModbusHealth } from './modbus-health'
import type { Outcome } from './modbus-bus'
import type { PlannedRead } from './poll-plan'
import { describeException } from './rtu-frame'

/** What one planned read gave: the samples to store, or why there are none. */
export interface ReadValues {
  samples: Sample[]
  /** Why the read (or some of its values) stored nothing; null when all went in. */
  error: string | null
}

/**
 * Turns the outcome of one read into samples at time `t`. A CRC-bad, timed-out or refused
 * answer stores nothing; a value that is not finite or outside its expected range is counted
 * and left out, so one bad register never hides the good ones read with it.
 */
export function readValues(
  read: PlannedRead,
  outcome: Outcome,
  t: number,
  health: ModbusHealth,
): ReadValues {
  switch (outcome.kind) {
    case 'timeout':
      return { samples: [], error: 'no answer (time-out)' }
    case 'crc':
      return { samples: [], error: 'answer with a bad CRC' }
    case 'exception':
      return { samples: [], error: describeException(outcome.code) }
    case 'port':
      return { samples: [], error: outcome.error.message }
    case 'ok':
      break
  }
  const samples: Sample[] = []
  const problems: string[] = []
  for (const { register: reg, index } of read.items) {
    const bit = reg.function === 'coil' || reg.function === 'discrete'
    const raw = bit
      ? decodeBit(outcome.data, index)
      : decodeRegisters(outcome.data, index, reg.type, reg.wordOrder, reg.byteOrder)
    const value = scaleValue(raw, reg)
    if (!Number.isFinite(value)) {
      health.add('not-finite', `${reg.id}: ${value}`)
      problems.push(`${reg.id} is ${value}`)
    } else if (
      (reg.expectedMin !== null && value < reg.expectedMin) ||
      (reg.expectedMax !== null && value > reg.expectedMax)
    ) {
      const range = `${reg.expectedMin ?? '-∞'}..${reg.expectedMax ?? '∞'}`
      health.add('out-of-range', `${reg.id}: ${value} outside ${range}`)
      problems.push(`${reg.id} = ${value} outside ${range}`)
    } else {
      samples.push({ sensorId: reg.id, t, value })
    }
  }
  return { samples, error: problems.length ? problems.join('; ') : null }
}
