import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type {
  AlarmActionResult,
  AlarmDefinitionInput,
  AlarmSummary,
  AlarmView,
  AlarmsEvent,
  Sensor,
} from '@vigil/contract'
import { api, on } from '../api/client'
import { applyAlarmsEvent, applyChanges, summarize, topUnacked } from '../lib/alarm-list'
import { hearState, soundingOf } from '../lib/alarm-sound'
import { isModelSensor } from '../lib/model-ids'
import { attempt, type ActionOutcome } from './alarm-outcome'
import { useHostStore } from './host'

/** Views recompute at most this often however fast events come (a flood). */
const REDRAW_MS = 150

/**
 * Every alarm and its live state. Events go into a Map in O(changed); what the views read
 * (sorted lists, the top alarm, the horn) is worked out lazily, at most once per REDRAW_MS.
 */
export const useAlarmsStore = defineStore('alarms', () => {
  const host = useHostStore()
  const map = new Map<string, AlarmView>()
  /** Bumped (throttled) when the map changes; views depend on it, not on the Map. */
  const version = ref(0)
  const hostSummary = shallowRef<AlarmSummary | null>(null)
  const sensors = shallowRef<Sensor[]>([])
  const loaded = ref(false)
  const error = ref<string | null>(null)
  /** The newest activation heard when the operator silenced; null when not silenced. */
  const silencedThrough = ref<number | null>(null)
  let started = false
  let loading = false
  let queued: AlarmsEvent[] = []
  let timer: ReturnType<typeof setTimeout> | null = null

  function touch(): void {
    if (timer !== null) return
    timer = setTimeout(() => {
      timer = null
      version.value++
    }, REDRAW_MS)
  }

  /** Reading this makes a computed follow the map. */
  function all(): Iterable<AlarmView> {
    void version.value
    return map.values()
  }

  const summary = computed<AlarmSummary>(() => hostSummary.value ?? summarize(all()))
  const top = computed(() => topUnacked(all()))
  const sounding = computed(() => soundingOf(all()))
  const hear = computed(() => hearState(sounding.value, silencedThrough.value))
  const definitions = computed(() =>
    [...all()].map((a) => a.definition).sort((a, b) => a.name.localeCompare(b.name)),
  )
  const sensorById = computed(() => new Map(sensors.value.map((s) => [s.id, s])))

  function onEvent(event: AlarmsEvent): void {
    if (loading) {
      queued.push(event)
      return
    }
    if (applyAlarmsEvent(map, event)) touch()
    hostSummary.value = event.summary
  }

  async function load(): Promise<void> {
    loading = true
    queued = []
    try {
      const [list, s] = await Promise.allSettled([api.listAlarms(), api.listSensors()])
      if (s.status === 'fulfilled') sensors.value = s.value.filter((x) => !isModelSensor(x.id))
      if (list.status === 'rejected') throw list.reason
      map.clear()
      applyChanges(map, list.value.alarms)
      hostSummary.value = list.value.summary
      error.value = null
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loading = false
      // Events that came while the list was on its way; older views than the list's are ignored.
      for (const e of queued) onEvent(e)
      queued = []
      loaded.value = true
      version.value++
    }
  }

  function start(): void {
    if (started) return
    started = true
    on('alarms', onEvent)
    watch(
      () => host.reconnects,
      () => void load(),
    )
    void load()
  }

  function accept(result: AlarmActionResult): void {
    if (applyChanges(map, result.changed)) touch()
    hostSummary.value = result.summary
  }

  /** The host journals each action under the signed-in user: no name is sent. */
  async function act(
    run: () => Promise<AlarmActionResult>,
  ): Promise<ActionOutcome<AlarmActionResult>> {
    const outcome = await attempt(run)
    if (outcome.ok) accept(outcome.result)
    return outcome
  }

  const note = (text: string) => (text.trim() ? { note: text.trim() } : {})

  const acknowledge = (ids: string[], text = '') =>
    act(() => api.acknowledgeAlarms({ ids, ...note(text) }))
  const shelve = (id: string, reason: string, durationMs: number) =>
    act(() => api.shelveAlarm({ id, reason, durationMs }))
  const unshelve = (id: string) => act(() => api.unshelveAlarm({ id }))
  const setService = (id: string, inService: boolean, text = '') =>
    act(() => api.setAlarmService({ id, inService, ...note(text) }))

  async function saveDefinition(
    definition: AlarmDefinitionInput,
  ): Promise<ActionOutcome<AlarmView>> {
    const outcome = await attempt(() => api.saveAlarmDefinition({ definition }))
    if (outcome.ok) {
      map.set(outcome.result.id, outcome.result)
      touch()
    }
    return outcome
  }

  async function deleteDefinition(id: string): Promise<ActionOutcome<{ id: string }>> {
    const outcome = await attempt(() => api.deleteAlarmDefinition({ id }))
    if (outcome.ok && map.delete(id)) touch()
    return outcome
  }

  /** Silences the horn until an alarm activates after now. */
  function silence(): void {
    silencedThrough.value = sounding.value.newestActivation ?? host.hostNow()
  }

  const get = (id: string): AlarmView | undefined => {
    void version.value
    return map.get(id)
  }

  return {
    version,
    summary,
    top,
    hear,
    definitions,
    sensors,
    sensorById,
    loaded,
    error,
    all,
    get,
    load,
    start,
    acknowledge,
    shelve,
    unshelve,
    setService,
    saveDefinition,
    deleteDefinition,
    silence,
  }
})
