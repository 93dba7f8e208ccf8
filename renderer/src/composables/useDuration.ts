import { useI18n } from 'vue-i18n'
import { formatDuration } from '../lib/format'

/** Formats a duration in the current language ("1 h 30 min", "1 小时 30 分钟"). */
export function useDuration() {
  const { t } = useI18n()
  return (ms: number): string => formatDuration(ms, (unit, n) => t(`units.${unit}`, { n }))
}
