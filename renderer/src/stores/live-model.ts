import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { ModelSummary, ScoreBatch, Series } from '@vigil/contract'
import { api, on } from '../api/client'
import { RAW_SCORE_SENSOR_ID, SCORE_SENSOR_ID, expectedSensorId } from '../lib/model-ids'
import {
  appendStretches,
  rankContributors,
  stretchesAbove,
  trimStretches,
  type Contributor,
  type Stretch,
} from '../lib/model-scores'
import {
  appendSample,
  createBuffer,
  gridOrigin,
  liveBucketMs,
  replaceWith,
  trimBefore,
  type SeriesBuffer,
} from '../lib/series-buffer'
import type { TimeSpan } from '../lib/zoom'
import { queryHistory } from './history-query'
import { useHostStore } from './host'
import { useLiveStore } from './live'

/** The newest score and what explains it: for the "top contributors now" list. */
export interface LatestScore {
  t: number
  /** The smoothed score compared with the threshold (adapted when the model follows drift). */
  smoothed: number
  /** The smoothed raw score: against the training range alone. */
  raw: number
  anomalous: boolean
  contributors: Contributor[]
}

/** What one view of the score draws: the scores, each modelled sensor's expected value, flags. */
interface ScoreView {
  score: SeriesBuffer
  raw: SeriesBuffer
  expected: Map<string, SeriesBuffer>
  stretches: Stretch[]
}

const CONTRIBUTORS_SHOWN = 5
/** A model's score comes at most this often; used until the sensors' own period is known. */
const DEFAULT_PERIOD_MS = 1000

/**
 * The active model beside the live trend: its smoothed score and threshold, the values it
 * expects, the stretches it flagged and the sensors behind the newest score. History comes from
 * the stored `model:score` / `model:expected:*` series, then `scores` events extend it.
 */
export const useLiveModelStore = defineStore('liveModel', () => {
  const host = useHostStore()
  const live = useLiveStore()
  const model = shallowRef<ModelSummary | null>(null)
  const threshold = ref<number | null>(null)
  const latest = shallowRef<LatestScore | null>(null)
  const error = ref<string | null>(null)
  /** Bumped when a history load lands, so charts draw it at once. */
  const version = ref(0)
  const zoomSpan = shallowRef<TimeSpan | null>(null)

  // Plain (non-reactive) on purpose, like the live store's buffers.
  let current: ScoreView | null = null
  let zoomed: ScoreView | null = null
  let token = 0
  let zoomToken = 0
  let stops: (() => void)[] = []
  let reloadQueued = false

  const sensorIds = computed(() => model.value?.spec.sensorIds ?? [])

  function periodMs(): number {
    const ids = new Set(sensorIds.value)
    const periods = live.sensors.filter((s) => ids.has(s.id)).map((s) => s.periodMs)
    return periods.length ? Math.max(...periods) : DEFAULT_PERIOD_MS
  }

  const view = () => (zoomSpan.value ? zoomed : current)
  const scoreBuffer = (): SeriesBuffer | undefined => view()?.score
  const rawBuffer = (): SeriesBuffer | undefined => view()?.raw
  const expectedOf = (sensorId: string): SeriesBuffer | undefined => view()?.expected.get(sensorId)
  const stretches = (): readonly Stretch[] => view()?.stretches ?? []

  /** A view filled from the history; bucketed live samples continue the history's grid. */
  function viewFrom(
    m: ModelSummary,
    series: Series[],
    from: number,
    live?: { rangeMs: number; maxPoints: number },
  ): ScoreView {
    const period = periodMs()
    const byId = new Map(series.map((s) => [s.sensorId, s]))
    const fill = (id: string): SeriesBuffer => {
      const s = byId.get(id)
      const buf = createBuffer(period)
      const buckets = live && {
        bucketMs: liveBucketMs(s?.bucketMs ?? 0, live.rangeMs, live.maxPoints, period),
        origin: gridOrigin(s?.t ?? [], s?.bucketMs ?? 0, from),
      }
      replaceWith(buf, s?.t ?? [], s?.v ?? [], s?.bucketMs ?? 0, buckets)
      return buf
    }
    const score = fill(SCORE_SENSOR_ID)
    const bucketed = (byId.get(SCORE_SENSOR_ID)?.bucketMs ?? 0) > 0
    return {
      score,
      raw: fill(RAW_SCORE_SENSOR_ID),
      expected: new Map(m.spec.sensorIds.map((id) => [id, fill(expectedSensorId(id))])),
      // The history keeps the score, not the flags: they are rebuilt from the threshold. In
      // min/max buckets a sample count means nothing, so one bucket above it is enough.
      stretches: stretchesAbove(
        score.t,
        score.v,
        m.threshold,
        bucketed ? 1 : m.detection.minDuration,
      ),
    }
  }

  async function historyOf(m: ModelSummary, from: number, to: number): Promise<Series[]> {
    const ids = [SCORE_SENSOR_ID, RAW_SCORE_SENSOR_ID, ...m.spec.sensorIds.map(expectedSensorId)]
    return queryHistory(ids, from, to, live.pointsPerChart())
  }

  /** Finds the active model and loads its score over the live range. */
  async function load(): Promise<void> {
    const mine = ++token
    error.value = null
    try {
      const active = (await api.listModels()).find((m) => m.active) ?? null
      if (mine !== token) return
      if (!active) {
        model.value = null
        current = null
        latest.value = null
        threshold.value = null
        version.value++
        return
      }
      const to = Math.round(host.hostNow())
      const from = to - live.rangeMs
      const series = await historyOf(active, from, to)
      if (mine !== token) return
      if (model.value?.id !== active.id) latest.value = null
      model.value = active
      threshold.value = active.threshold
      current = viewFrom(active, series, from, {
        rangeMs: live.rangeMs,
        maxPoints: live.pointsPerChart(),
      })
      version.value++
      if (zoomSpan.value) void showSpan(zoomSpan.value)
    } catch (err) {
      if (mine === token) error.value = err instanceof Error ? err.message : String(err)
    }
  }

  /** Another model started scoring (activated elsewhere): read it once, not per batch. */
  function queueReload(): void {
    if (reloadQueued) return
    reloadQueued = true
    setTimeout(() => {
      reloadQueued = false
      void load()
    }, 250)
  }

  function onScores(batch: ScoreBatch): void {
    const m = model.value
    if (!m || batch.modelId !== m.id) {
      queueReload()
      return
    }
    const view = current
    if (!view) return
    threshold.value = batch.threshold
    for (let i = 0; i < batch.t.length; i++) {
      const t = batch.t[i]
      appendSample(view.score, t, batch.smoothed[i])
      appendSample(view.raw, t, batch.rawSmoothed[i])
      const expected = batch.expected[i]
      batch.sensorIds.forEach((id, j) => {
        const buf = view.expected.get(id)
        const v = expected?.[j]
        if (buf && v !== undefined && Number.isFinite(v)) appendSample(buf, t, v)
      })
    }
    appendStretches(view.stretches, batch.t, batch.anomalous, 3 * periodMs())
    const cutoff = host.hostNow() - live.rangeMs
    trimBefore(view.score, cutoff)
    trimBefore(view.raw, cutoff)
    for (const buf of view.expected.values()) trimBefore(buf, cutoff)
    trimStretches(view.stretches, cutoff)
    const last = batch.t.length - 1
    if (last >= 0) {
      latest.value = {
        t: batch.t[last],
        smoothed: batch.smoothed[last],
        raw: batch.rawSmoothed[last],
        anomalous: batch.anomalous[last] ?? false,
        contributors: rankContributors(
          batch.sensorIds,
          batch.contributions[last] ?? [],
          CONTRIBUTORS_SHOWN,
        ),
      }
    }
  }

  /** Loads the score for a zoomed span (null: back to live). */
  async function showSpan(span: TimeSpan | null): Promise<void> {
    const mine = ++zoomToken
    zoomSpan.value = span
    zoomed = null
    const m = model.value
    if (!span || !m) return
    try {
      const series = await historyOf(m, span.from, span.to)
      if (mine !== zoomToken) return
      zoomed = viewFrom(m, series, span.from)
      version.value++
    } catch (err) {
      if (mine === zoomToken) error.value = err instanceof Error ? err.message : String(err)
    }
  }

  function start(): void {
    if (stops.length) return
    stops = [
      on('scores', onScores),
      // A new range or a reconnection reloads the live trend; the score follows it.
      watch(
        () => live.historyVersion,
        () => void load(),
      ),
    ]
    void load()
  }

  function stop(): void {
    for (const fn of stops) fn()
    stops = []
    token++
    zoomToken++
    zoomSpan.value = null
    zoomed = null
  }

  return {
    model,
    threshold,
    latest,
    error,
    version,
    sensorIds,
    scoreBuffer,
    rawBuffer,
    expectedOf,
    stretches,
    load,
    showSpan,
    start,
    stop,
  }
})
