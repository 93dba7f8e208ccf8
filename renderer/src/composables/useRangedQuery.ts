import { computed, onMounted, ref, shallowRef, watch, type ShallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ALARM_RANGES, rangeEndingAt, type AlarmRange } from '../lib/alarm-range'
import { useHostStore } from '../stores/host'

/**
 * Data over a range preset ending now (host time): loaded on mount and whenever the range
 * changes, with its loading state and error, and the presets for a segmented control.
 */
export function useRangedQuery<T>(
  initial: AlarmRange,
  fetch: (span: { from: number; to: number }) => Promise<T>,
  empty: T,
) {
  const { t } = useI18n()
  const host = useHostStore()
  const range = ref<AlarmRange>(initial)
  const data: ShallowRef<T> = shallowRef(empty)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const rangeOptions = computed(() =>
    ALARM_RANGES.map((key) => ({ key, label: t(`alarms.journal.ranges.${key}`) })),
  )

  async function load(): Promise<void> {
    loading.value = true
    try {
      data.value = await fetch(rangeEndingAt(range.value, host.hostNow()))
      error.value = null
    } catch (err) {
      data.value = empty
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loading.value = false
    }
  }
  watch(range, () => void load())
  onMounted(() => void load())

  return { range, rangeOptions, data, loading, error, load }
}
