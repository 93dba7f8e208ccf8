import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { BackupResult, StorageInfo, StorageSettings } from '@vigil/contract'
import { ApiError, api } from '../api/client'

export type BackupState = 'idle' | 'running' | 'done' | 'failed'

/** What became of a save: the host's `issues` name the fields it refused. */
export type SaveOutcome = { ok: true } | { ok: false; message: string; issues: readonly string[] }

/** Long enough for a maintenance run on a small database; a large one shows on Refresh. */
const MAINTENANCE_SETTLE_MS = 2_000

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** The history database as the host reports it, its retention settings, and backups. */
export const useStorageStore = defineStore('storage', () => {
  const info = shallowRef<StorageInfo | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const backupState = ref<BackupState>('idle')
  const backup = shallowRef<BackupResult | null>(null)
  const backupError = ref<string | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      info.value = await api.getStorage()
    } catch (err) {
      error.value = message(err)
    } finally {
      loading.value = false
    }
  }

  async function save(settings: StorageSettings): Promise<SaveOutcome> {
    try {
      info.value = await api.setStorageSettings(settings)
      // The host applies new settings with a maintenance run at once; show its outcome.
      setTimeout(() => void load(), MAINTENANCE_SETTLE_MS)
      return { ok: true }
    } catch (err) {
      const issues = err instanceof ApiError && err.code === 'INVALID_PARAMS' ? err.issues : []
      return { ok: false, message: message(err), issues }
    }
  }

  async function backupNow(): Promise<void> {
    if (backupState.value === 'running') return
    backupState.value = 'running'
    backupError.value = null
    try {
      backup.value = await api.backupNow()
      backupState.value = 'done'
      // The size and the "last backup" line change with it.
      void load()
    } catch (err) {
      backupError.value = message(err)
      backupState.value = 'failed'
    }
  }

  return { info, loading, error, backupState, backup, backupError, load, save, backupNow }
})
