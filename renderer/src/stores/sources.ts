import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Params, Result, SourceConfig, SourceConfigInput, SourceHealth } from '@vigil/contract'
import { ApiError, api } from '../api/client'

/** What became of a call that sends a form: the host's `issues` name the fields it refused. */
export type SendOutcome<T> =
  { ok: true; result: T } | { ok: false; message: string; issues: readonly string[] }

export type Port = Result<'listPorts'>[number]

/** How often the bad-input counters are read while the Sources page is open. */
const HEALTH_EVERY_MS = 2_000

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

async function send<T>(run: () => Promise<T>): Promise<SendOutcome<T>> {
  try {
    return { ok: true, result: await run() }
  } catch (err) {
    const issues = err instanceof ApiError && err.code === 'INVALID_PARAMS' ? err.issues : []
    return { ok: false, message: message(err), issues }
  }
}

/** The configured sources, the ports on this machine, and each source's input health. */
export const useSourcesStore = defineStore('sources', () => {
  const list = shallowRef<SourceConfig[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const health = shallowRef<Record<string, SourceHealth>>({})
  const ports = shallowRef<Port[]>([])
  const portsError = ref<string | null>(null)
  /** The folders files may be read from, for the path fields' hint (engineers only). */
  const fileFolders = shallowRef<string[]>([])
  let healthTimer: ReturnType<typeof setInterval> | undefined

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      list.value = await api.listSources()
      loaded.value = true
      void readHealth()
    } catch (err) {
      error.value = message(err)
    } finally {
      loading.value = false
    }
  }

  async function loadPorts(): Promise<void> {
    portsError.value = null
    try {
      ports.value = await api.listPorts()
    } catch (err) {
      portsError.value = message(err)
    }
  }

  /** One read for every source; a source that fails keeps its last counters. */
  async function readHealth(): Promise<void> {
    const ids = list.value.map((s) => s.id)
    const answers = await Promise.allSettled(ids.map((id) => api.getSourceHealth(id)))
    const next: Record<string, SourceHealth> = {}
    answers.forEach((a, i) => {
      const id = ids[i]
      if (id === undefined) return
      const previous = health.value[id]
      if (a.status === 'fulfilled') next[id] = a.value
      else if (previous) next[id] = previous
    })
    health.value = next
  }

  function watchHealth(): () => void {
    clearInterval(healthTimer)
    healthTimer = setInterval(() => void readHealth(), HEALTH_EVERY_MS)
    return () => clearInterval(healthTimer)
  }

  async function save(config: SourceConfigInput): Promise<SendOutcome<SourceConfig>> {
    const outcome = await send(() => api.saveSource(config))
    if (outcome.ok) await load()
    return outcome
  }

  async function remove(id: string): Promise<SendOutcome<unknown>> {
    const outcome = await send(() => api.deleteSource(id))
    if (outcome.ok) await load()
    return outcome
  }

  const test = (config: SourceConfigInput) => send(() => api.testSource(config))
  const preview = (path: string) => send(() => api.previewFile({ path, maxLines: 20 }))
  const importFile = (params: Params<'importFile'>) => send(() => api.importFile(params))

  async function loadFileFolders(): Promise<void> {
    try {
      fileFolders.value = (await api.getSecurity()).fileFolders
    } catch {
      // Only a hint: the host still says which folders are allowed when it refuses a path.
    }
  }

  return {
    list,
    loaded,
    loading,
    error,
    health,
    ports,
    portsError,
    fileFolders,
    load,
    loadPorts,
    loadFileFolders,
    readHealth,
    watchHealth,
    save,
    remove,
    test,
    preview,
    importFile,
  }
})
