import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { SampleBatch, Sensor, Series } from '@vigil/contract'
import { api, on } from '../api/client'
import { limitState } from '../lib/format'
import { isModelSensor } from '../lib/model-ids'
import {
  appendSample,
  createBuffer,
  gridOrigin,
  lastPoint,
  liveBucketMs,
  replaceWith,
  trimBefore,
  type SeriesBuffer,
} from '../lib/series-buffer'
import { TREND_WINDOW_MS, trendDeadband, trendDirection } from '../lib/trend'
import { queryHistory } from './history-query'
import { useHostStore } from './host'
import { RANGES, type RangeKey, type Reading } from './live-types'

export { RANGES, type RangeKey, type Reading } from './live-types'

/** Enough for every raw sample of the last minute or so of any sensor we know of. */
const RECENT_POINTS = 2000

/** How far back the raw samples behind the value and its trend arrow go. */
const recentMs = (sensor: Sensor) => Math.max(TREND_WINDOW_MS, 6 * sensor.periodMs) + 5_000

type Pending = Map<string, { t: number[]; v: number[] }>

/**
 * History plus live samples per sensor, trimmed to the chosen range. Beside each chart's
 * buffer (min/max buckets on long ranges) a short raw buffer keeps the newest value and the
 * trend arrow exact whatever the range.
 */
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
  /** Bumped when a history load lands, so charts draw it at once. */
  const historyVersion = ref(0)

  // Plain (non-reactive) on purpose: see SeriesBuffer.
  const buffers = new Map<string, SeriesBuffer>()
  const recent = new Map<string, SeriesBuffer>()
  // Samples that arrive while history is loading, replayed on top of it so none is lost.
  let pending: Pending | null = null
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
      const rec = recent.get(id)
      if (rec) appendSample(rec, t, v)
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
      if (buf) trimBefore(buf, cutoff)
      const rec = recent.get(sensor.id)
      if (!rec) continue
      trimBefore(rec, end - recentMs(sensor))
      next[sensor.id] = readingOf(sensor, rec, end)
    }
    readings.value = next
    windowEnd.value = end
  }

  function readingOf(sensor: Sensor, rec: SeriesBuffer, now: number): Reading {
    const last = lastPoint(rec)
    if (!last) return { value: null, t: null, trend: 'steady', limit: 'normal', stale: true }
    const deadband = trendDeadband(sensor.normalMin, sensor.normalMax, last.v)
    return {
      value: last.v,
      t: last.t,
      trend: trendDirection(rec, deadband),
      limit: limitState(last.v, sensor.normalMin, sensor.normalMax),
      // A few missed periods, never less than a few batches, before a value is called stale.
      stale: now - last.t > Math.max(5_000, 5 * sensor.periodMs),
    }
  }

  function fill(
    store: Map<string, SeriesBuffer>,
    sensor: Sensor,
    s: Series | undefined,
    live?: { bucketMs: number; origin: number },
  ): void {
    let buf = store.get(sensor.id)
    if (!buf) store.set(sensor.id, (buf = createBuffer(sensor.periodMs)))
    replaceWith(buf, s?.t ?? [], s?.v ?? [], s?.bucketMs ?? 0, live)
    const late = pending?.get(sensor.id)
    late?.t.forEach((t, i) => appendSample(buf, t, late.v[i]))
  }

  /** Lists the sensors and loads the chosen range; live samples keep flowing meanwhile. */
  async function load(): Promise<void> {
    const token = ++loadToken
    loading.value = true
    error.value = null
    pending = new Map()
    try {
      if (!host.status) await host.refresh()
      // A model's score and expected values are drawn with the model, not as sensors.
      const list = (await api.listSensors()).filter((s) => !isModelSensor(s.id))
      const ids = list.map((s) => s.id)
      const range = rangeMs.value
      const to = Math.round(host.hostNow())
      const from = to - range
      const recentFrom = to - Math.max(0, ...list.map(recentMs))
      const [series, latest] = list.length
        ? await Promise.all([
            queryHistory(ids, from, to, maxPoints),
            queryHistory(ids, recentFrom, to, RECENT_POINTS),
          ])
        : [[], []]
      if (token !== loadToken) return
      const byId = new Map(series.map((s) => [s.sensorId, s]))
      const latestById = new Map(latest.map((s) => [s.sensorId, s]))
      for (const sensor of list) {
        const s = byId.get(sensor.id)
        const bucketMs = liveBucketMs(s?.bucketMs ?? 0, range, maxPoints, sensor.periodMs)
        const origin = gridOrigin(s?.t ?? [], s?.bucketMs ?? 0, from)
        fill(buffers, sensor, s, { bucketMs, origin })
        fill(recent, sensor, latestById.get(sensor.id))
      }
      sensors.value = list
      historyVersion.value++
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

  /** Points per chart: about two per pixel column; finer history could not be drawn anyway. */
  function pointsPerChart(): number {
    return maxPoints
  }

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
    historyVersion,
    bufferOf,
    pointsPerChart,
    load,
    setRange,
    start,
    stop,
  }
})
