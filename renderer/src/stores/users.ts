import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Role, SecurityInfo, SecuritySettings, UserAccount } from '@vigil/contract'
import { api } from '../api/client'
import { attempt, type ActionOutcome } from './alarm-outcome'

/** The accounts and the security settings, for an engineer's Users page. */
export const useUsersStore = defineStore('users', () => {
  const list = shallowRef<UserAccount[]>([])
  const security = shallowRef<SecurityInfo | null>(null)
  const loaded = ref(false)
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    try {
      const [users, sec] = await Promise.all([api.listUsers(), api.getSecurity()])
      list.value = users
      security.value = sec
      error.value = null
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loaded.value = true
    }
  }

  async function change(run: () => Promise<UserAccount[]>): Promise<ActionOutcome<UserAccount[]>> {
    const outcome = await attempt(run)
    if (outcome.ok) list.value = outcome.result
    return outcome
  }

  /** Adds a user (with a password) or changes a role. */
  const save = (name: string, role: Role, password?: string) =>
    change(() => api.saveUser({ name, role, ...(password ? { password } : {}) }))
  const remove = (name: string) => change(() => api.deleteUser(name))
  const resetPassword = (name: string, newPassword: string) =>
    change(() => api.resetPassword({ name, newPassword }))
  const unlock = (name: string) => change(() => api.unlockUser(name))

  async function saveSecurity(settings: SecuritySettings): Promise<ActionOutcome<SecurityInfo>> {
    const outcome = await attempt(() => api.setSecuritySettings(settings))
    if (outcome.ok) security.value = outcome.result
    return outcome
  }

  return { list, security, loaded, error, load, save, remove, resetPassword, unlock, saveSecurity }
})
