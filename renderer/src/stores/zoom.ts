import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { createBuffer, replaceWith, type SeriesBuffer } from '../lib/series-buffer'
import { panSpan, reachesNow, zoomSpan, type TimeSpan } from '../lib/zoom'
import { queryHistory } from './history-query'
import { useHostStore } from './host'
import { useLiveStore } from './live'

/**
 * A span of the past shown on every chart at once, with history at the resolution that span
 * deserves. Live samples do not move it; the live trend keeps filling underneath, so going
 * back to live is instant.
 */
export const useZoomStore = defineStore('zoom', () => {
  const host = useHostStore()
  const live = useLiveStore()
  const span = shallowRef<TimeSpan | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** Bumped when a zoomed history lands, so charts draw it at once. */
  const version = ref(0)
  const zoomed = computed(() => span.value !== null)

  // Until the finer history lands, charts keep showing what they had for the new span.
  const buffers = new Map<string, SeriesBuffer>()
  let token = 0

  function bufferOf(sensorId: string): SeriesBuffer | undefined {
    return span.value ? buffers.get(sensorId) : undefined
  }

  async function show(next: TimeSpan): Promise<void> {
    const mine = ++token
    span.value = next
    loading.value = true
    error.value = null
    try {
      const list = live.sensors
      const series = list.length
        ? await queryHistory(
            list.map((s) => s.id),
            next.from,
            next.to,
            live.pointsPerChart(),
          )
        : []
      if (mine !== token) return
      const byId = new Map(series.map((s) => [s.sensorId, s]))
      for (const sensor of list) {
        const s = byId.get(sensor.id)
        const buf = createBuffer(sensor.periodMs)
        replaceWith(buf, s?.t ?? [], s?.v ?? [], s?.bucketMs ?? 0)
        buffers.set(sensor.id, buf)
      }
      version.value++
    } catch (err) {
      if (mine === token) error.value = err instanceof Error ? err.message : String(err)
    } finally {
      if (mine === token) loading.value = false
    }
  }

  /** Zooms every chart to the time between `a` and `b`, as dragged on any one of them. */
  function zoomTo(a: number, b: number): void {
    void show(zoomSpan(a, b, host.hostNow()))
  }

  function pan(direction: -1 | 1): void {
    if (span.value) void show(panSpan(span.value, direction, host.hostNow()))
  }

  function retry(): void {
    if (span.value) void show(span.value)
  }

  /** Whether "later" has anything left to show. */
  function canPanLater(now: number): boolean {
    return span.value !== null && !reachesNow(span.value, now)
  }

  function backToLive(): void {
    token++
    span.value = null
    loading.value = false
    error.value = null
    buffers.clear()
  }

  return {
    span,
    zoomed,
    loading,
    error,
    version,
    bufferOf,
    zoomTo,
    pan,
    retry,
    canPanLater,
    backToLive,
  }
})
