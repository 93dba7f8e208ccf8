import type { Sensor } from '@vigil/contract'
import { useLocale } from './useLocale'

/** A sensor's name in the current language, falling back to its configured name. */
export function useSensorName() {
  const { locale } = useLocale()
  return (sensor: Sensor): string => sensor.localizedNames[locale.value] ?? sensor.name
}
