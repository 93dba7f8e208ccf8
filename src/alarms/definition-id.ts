import type { AlarmDefinitionInput } from '../contract'

/** The one model alarm: it follows whichever model version is active. */
export const MODEL_ALARM_ID = 'model'

/**
 * The id a definition gets from what it watches, so there is one HH alarm per sensor, one
 * "disconnected" alarm per source and one "no answer" alarm per Modbus slave, never two.
 */
export function definitionId(def: AlarmDefinitionInput): string {
  switch (def.kind) {
    case 'model':
      return MODEL_ALARM_ID
    case 'limit':
      return `limit.${def.sensorId}.${def.level}`
    case 'source': {
      const base = `source.${def.sourceId.replace(/[^A-Za-z0-9_.:-]/g, '_')}.${def.condition}`
      return def.condition === 'no-answer' ? `${base}.${def.slaveId ?? 0}` : base
    }
  }
}
