import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { SampleBatch, Sensor, Series } from '@vigil/contract'
import { api, on } from '../api/client'
import { limitState } from '../lib/format'
import {
  appendSample,
  createBuffer,
  lastPoint,
  replaceWith,
  trimBefore,
  type SeriesBuffer,
} from '../lib/series-buffer'
import { trendDeadband, trendDirection } from '../lib/trend'
import { useHostStore } from './host'
import { RANGES, type RangeKey, type Reading } from './live-types'

export { RANGES, type RangeKey, type Reading } from './live-types'

/** The contract caps one query at 64 sensors. */
const QUERY_CHUNK = 64

/** History plus live samples per sensor, trimmed to the chosen range. */
export const useLiveStore = defineStore('live', () => {
  const host = useHostStore()
  const sensors = shallowRef<Sensor[]>([])
  const rangeKey = ref<RangeKey>('m15')
  const rangeMs = computed(() => RANGES[rangeKey.value])
  const loading = ref(false)
  const error = ref<string | null>(null)
  const readings = shallowRef<Record<string, Reading>>({})
  /** The right edge of every chart, in host time; moves on each flush and once a second. */
  const windowEnd = ref(0)

  // Plain (non-reactive) on purpose: see SeriesBuffer.
  const buffers = new Map<string, SeriesBuffer>()
  // Samples that arrive while history is loading, replayed on top of it so none is lost.
  let pending: Map<string, { t: number[]; v: number[] }> | null = null
  let maxPoints = 1000
  let loadToken = 0
  let flushQueued = false
  let stops: (() => void)[] = []

  function bufferOf(sensorId: string): SeriesBuffer | undefined {
    return buffers.get(sensorId)
  }

  function onSamples(batch: SampleBatch): void {
    for (let i = 0; i < batch.sensorIds.length; i++) {
      const id = batch.sensorIds[i]
      const t = batch.t[i]
      const v = batch.values[i]
      if (pending) {
        let p = pending.get(id)
        if (!p) pending.set(id, (p = { t: [], v: [] }))
        p.t.push(t)
        p.v.push(v)
      }
      const buf = buffers.get(id)
      if (buf) appendSample(buf, t, v)
    }
    scheduleFlush()
  }

  // Samples arrive in batches a few times a second; the screen catches up once per frame.
  function scheduleFlush(): void {
    if (flushQueued) return
    flushQueued = true
    requestAnimationFrame(() => {
      flushQueued = false
      flush()
    })
  }

  function flush(): void {
    const end = host.hostNow()
    const cutoff = end - rangeMs.value
    const next: Record<string, Reading> = {}
    for (const sensor of sensors.value) {
      const buf = buffers.get(sensor.id)
      if (!buf) continue
      trimBefore(buf, cutoff)
      next[sensor.id] = readingOf(sensor, buf, end)
    }
    readings.value = next
    windowEnd.value = end
  }

  function readingOf(sensor: Sensor, buf: SeriesBuffer, now: number): Reading {
    const last = lastPoint(buf)
    if (!last) return { value: null, t: null, trend: 'steady', limit: 'normal', stale: true }
    const deadband = trendDeadband(sensor.normalMin, sensor.normalMax, last.v)
    return {
      value: last.v,
      t: last.t,
      trend: trendDirection(buf, deadband),
      limit: limitState(last.v, sensor.normalMin, sensor.normalMax),
      // A few missed periods, never less than a few batches, before a value is called stale.
      stale: now - last.t > Math.max(5_000, 5 * sensor.periodMs),
    }
  }

  async function querySeries(ids: string[], from: number, to: number): Promise<Series[]> {
    const chunks: string[][] = []
    for (let i = 0; i < ids.length; i += QUERY_CHUNK) chunks.push(ids.slice(i, i + QUERY_CHUNK))
    const results = await Promise.all(
      chunks.map((sensorIds) => api.querySeries({ sensorIds, from, to, maxPoints })),
    )
    return results.flatMap((r) => r.series)
  }

  /** Lists the sensors and loads the chosen range; live samples keep flowing meanwhile. */
  async function load(): Promise<void> {
    const token = ++loadToken
    loading.value = true
    error.value = null
    pending = new Map()
    try {
      if (!host.status) await host.refresh()
      const list = await api.listSensors()
      const to = Math.round(host.hostNow())
      const from = to - rangeMs.value
      const series = list.length
        ? await querySeries(
            list.map((s) => s.id),
            from,
            to,
          )
        : []
      if (token !== loadToken) return
      const byId = new Map(series.map((s) => [s.sensorId, s]))
      for (const sensor of list) {
        let buf = buffers.get(sensor.id)
        if (!buf) buffers.set(sensor.id, (buf = createBuffer(sensor.periodMs)))
        const s = byId.get(sensor.id)
        replaceWith(buf, s?.t ?? [], s?.v ?? [], s?.bucketMs ?? 0)
        const live = pending.get(sensor.id)
        live?.t.forEach((t, i) => appendSample(buf, t, live.v[i]))
      }
      sensors.value = list
      flush()
    } catch (err) {
      if (token === loadToken) error.value = err instanceof Error ? err.message : String(err)
    } finally {
      if (token === loadToken) {
        pending = null
        loading.value = false
      }
    }
  }

  function setRange(key: RangeKey): void {
    if (key === rangeKey.value) return
    rangeKey.value = key
    void load()
  }

  /** `points`: about the charts' width in pixels; finer history could not be drawn anyway. */
  function start(points: number): void {
    maxPoints = Math.max(2, Math.min(20_000, Math.round(points)))
    if (stops.length) return
    const heartbeat = setInterval(flush, 1000)
    stops = [
      on('samples', onSamples),
      () => clearInterval(heartbeat),
      // Whatever arrived while the link was down is in the historian: fetch it again.
      watch(
        () => host.reconnects,
        () => void load(),
      ),
    ]
    void load()
  }

  function stop(): void {
    for (const fn of stops) fn()
    stops = []
    loadToken++
  }

  return {
    sensors,
    rangeKey,
    rangeMs,
    loading,
    error,
    readings,
    windowEnd,
    bufferOf,
    load,
    setRange,
    start,
    stop,
  }
})
