import type { ContractMethods } from '../../contract'
import { alarmMethods } from './alarm-methods'
import { authMethods } from './auth-methods'
import { modelMethods } from './model-methods'
import type { MonitorParts } from './parts'
import { plantMethods } from './plant-methods'
import { sourceMethods } from './source-methods'

export type { MonitorParts } from './parts'

/** The whole contract, answered from the monitor's parts; a method left out does not compile. */
export function contractMethods(parts: MonitorParts): ContractMethods {
  return {
    ...authMethods(parts.auth),
    ...plantMethods(parts),
    ...sourceMethods(parts),
    ...modelMethods(parts),
    ...alarmMethods(parts),
  }
}
