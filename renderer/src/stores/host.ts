import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { DemoFault, Status } from '@vigil/contract'
import { api, connectionState, on, onConnectionChange, type ConnectionState } from '../api/client'

/** The host's status, the link to it, and the host's clock as seen from here. */
export const useHostStore = defineStore('host', () => {
  const connection = ref<ConnectionState>(connectionState())
  const status = shallowRef<Status | null>(null)
  const error = ref<string | null>(null)
  /** Bumped each time the link comes back, so views can refill what they missed. */
  const reconnects = ref(0)
  // The trend axis and the clock follow the host's time, which may differ from this PC's.
  const clockOffsetMs = ref(0)
  let started = false

  const demo = computed(() => status.value?.demo ?? null)
  /** Sensors whose device does not answer (a Modbus slave set aside), from every source. */
  const noAnswer = computed(
    () => new Set(status.value?.sources.flatMap((s) => s.noAnswer ?? []) ?? []),
  )

  function hostNow(): number {
    return Date.now() + clockOffsetMs.value
  }

  function accept(next: Status): void {
    status.value = next
    clockOffsetMs.value = next.now - Date.now()
  }

  let inflight: Promise<void> | null = null

  /** Fetches the status now; callers arriving while a fetch is under way share it. */
  function refresh(): Promise<void> {
    inflight ??= api
      .getStatus()
      .then((next) => {
        accept(next)
        error.value = null
      })
      .catch((err: unknown) => {
        error.value = err instanceof Error ? err.message : String(err)
      })
      .finally(() => {
        inflight = null
      })
    return inflight
  }

  function start(): void {
    if (started) return
    started = true
    on('status', accept)
    onConnectionChange((next) => {
      const recovered = next === 'open' && connection.value === 'reconnecting'
      connection.value = next
      if (recovered) {
        reconnects.value++
        void refresh()
      }
    })
    void refresh()
  }

  /** Signed in again after a while signed out: views refill what they missed, as after a reconnect. */
  function resumed(): void {
    reconnects.value++
    void refresh()
  }

  async function setDemoFault(fault: DemoFault): Promise<void> {
    const state = await api.setDemoFault({ fault })
    if (status.value) status.value = { ...status.value, demo: state }
  }

  return {
    connection,
    status,
    error,
    reconnects,
    demo,
    noAnswer,
    hostNow,
    start,
    refresh,
    resumed,
    setDemoFault,
  }
})
