import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Role, User } from '@vigil/contract'
import { api } from '../api/client'
import { attempt, noUser, type ActionOutcome } from './alarm-outcome'

const STORAGE_KEY = 'vigil.user'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/**
 * The known users and the one acting at this station. Roles are enforced by the core; this
 * only says who acts, and hides what the role may not do.
 */
export const useUsersStore = defineStore('users', () => {
  const list = shallowRef<User[]>([])
  const chosen = ref<string | null>(storage()?.getItem(STORAGE_KEY) ?? null)
  const loaded = ref(false)
  const error = ref<string | null>(null)

  /** The chosen user, else the first operator, else the first user. */
  const current = computed<User | null>(
    () =>
      list.value.find((u) => u.name === chosen.value) ??
      list.value.find((u) => u.role === 'operator') ??
      list.value[0] ??
      null,
  )
  const isEngineer = computed(() => current.value?.role === 'engineer')

  async function load(): Promise<void> {
    try {
      list.value = await api.listUsers()
      error.value = null
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loaded.value = true
    }
  }

  function choose(name: string): void {
    chosen.value = name
    try {
      storage()?.setItem(STORAGE_KEY, name)
    } catch {
      // A read-only storage costs only the choice at the next start.
    }
  }

  async function change(run: (user: string) => Promise<User[]>): Promise<ActionOutcome<User[]>> {
    const user = current.value?.name
    if (!user) return noUser()
    const outcome = await attempt(() => run(user))
    if (outcome.ok) list.value = outcome.result
    return outcome
  }

  const save = (name: string, role: Role) => change((user) => api.saveUser({ user, name, role }))
  const remove = (name: string) => change((user) => api.deleteUser({ user, name }))

  return { list, chosen, loaded, error, current, isEngineer, load, choose, save, remove }
})
