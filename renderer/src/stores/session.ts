import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Role, SessionEndReason, SessionInfo, SignInResult } from '@vigil/contract'
import { api, ApiError, onSessionEnded, sessionBegan, sessionClosed } from '../api/client'

/** Role ranks as the contract orders them (viewer < operator < engineer). */
const RANK: Record<Role, number> = { viewer: 1, operator: 2, engineer: 3 }

export type SessionPhase = 'loading' | 'setup' | 'signed-out' | 'signed-in' | 'unreachable'

/** Why the sign-in page is shown: ended by the host, by idleness, or by the user. */
export type SignedOutReason = SessionEndReason | null

/**
 * Who is signed in at this screen. The host decides (the session lives in its cookie, or in the
 * desktop app's main process); this store only mirrors it, says what the role may do (to hide
 * what it may not: the host refuses it anyway), and signs in and out.
 */
export const useSessionStore = defineStore('session', () => {
  const phase = ref<SessionPhase>('loading')
  const info = shallowRef<SessionInfo | null>(null)
  const setupNeedsToken = ref(false)
  const endedBecause = ref<SignedOutReason>(null)
  const loadError = ref<string | null>(null)
  /** Bumped at every sign-in, so views can refill what they missed while signed out. */
  const epoch = ref(0)
  let listening = false

  const user = computed(() => info.value?.user ?? null)
  const role = computed<Role | null>(() => info.value?.role ?? null)
  /** Whether the signed-in role is at least `needed`. */
  const can = (needed: Role): boolean => role.value !== null && RANK[role.value] >= RANK[needed]
  const isOperator = computed(() => can('operator'))
  const isEngineer = computed(() => can('engineer'))

  function listen(): void {
    if (listening) return
    listening = true
    onSessionEnded((reason) => {
      if (phase.value !== 'signed-in') return
      ended(reason)
    })
  }

  function ended(reason: SignedOutReason): void {
    info.value = null
    endedBecause.value = reason
    phase.value = 'signed-out'
    sessionClosed()
  }

  function began(result: SignInResult): void {
    const { user: name, role: r, expiresAt, idleSignOutMs } = result
    info.value = { user: name, role: r, expiresAt, idleSignOutMs }
    endedBecause.value = null
    phase.value = 'signed-in'
    epoch.value++
    sessionBegan()
  }

  /** Asks the host how things stand (at start, and after it was unreachable). */
  async function load(): Promise<void> {
    listen()
    try {
      const state = await api.getSession()
      loadError.value = null
      setupNeedsToken.value = state.setupNeedsToken
      if (state.session) began({ ...state.session })
      else phase.value = state.setupRequired ? 'setup' : 'signed-out'
    } catch (err) {
      loadError.value = err instanceof Error ? err.message : String(err)
      phase.value = 'unreachable'
    }
  }

  /**
   * Signs in. Over a signed-in screen this is the shift hand-over: the host ends the previous
   * session, the pages stay as they are, and the role may change.
   */
  async function signIn(name: string, password: string): Promise<void> {
    began(await api.signIn({ name, password }))
  }

  async function setUp(token: string | null, name: string, password: string): Promise<void> {
    began(await api.setUpFirstAccount({ name, password, ...(token ? { token } : {}) }))
  }

  async function signOut(reason: SignedOutReason = 'signed-out'): Promise<void> {
    try {
      await api.signOut()
    } catch (err) {
      // Signed out here whatever the host says; a host that is gone has no session to end.
      if (!(err instanceof ApiError)) throw err
    }
    ended(reason)
  }

  /** Changes the signed-in user's password; every session of theirs ends (sign in again). */
  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.changePassword({ currentPassword, newPassword })
    ended('password-changed')
  }

  return {
    phase,
    info,
    user,
    role,
    setupNeedsToken,
    endedBecause,
    loadError,
    epoch,
    isOperator,
    isEngineer,
    can,
    load,
    signIn,
    setUp,
    signOut,
    changePassword,
  }
})
