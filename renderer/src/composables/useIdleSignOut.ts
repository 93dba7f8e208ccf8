import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/** The warning shows this long before the sign-out. */
export const IDLE_WARNING_MS = 60_000
/** Moving the mouse counts as activity at most this often (it fires constantly). */
const MOVE_THROTTLE_MS = 1000
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const

/**
 * Signs the screen out after `idleMs` without keyboard, mouse or touch input (null: never),
 * with a warning and a countdown for the last minute. Input resets the time; a plant screen
 * that only watches live data counts as idle, by design: whoever is signed in answers for
 * what is done at it.
 */
export function useIdleSignOut(idleMs: Ref<number | null>, signOut: () => void) {
  /** Seconds until the sign-out while the warning shows; null otherwise. */
  const secondsLeft = ref<number | null>(null)
  let lastActivity = Date.now()
  let timer: ReturnType<typeof setTimeout> | undefined

  function schedule(): void {
    clearTimeout(timer)
    secondsLeft.value = null
    const limit = idleMs.value
    if (limit === null) return
    const check = () => {
      const left = lastActivity + limit - Date.now()
      if (left <= 0) {
        secondsLeft.value = null
        signOut()
        return
      }
      if (left <= IDLE_WARNING_MS) {
        secondsLeft.value = Math.ceil(left / 1000)
        timer = setTimeout(check, Math.min(1000, left))
      } else timer = setTimeout(check, left - IDLE_WARNING_MS)
    }
    check()
  }

  function active(): void {
    lastActivity = Date.now()
    if (secondsLeft.value !== null || timer === undefined) schedule()
  }

  function moved(): void {
    if (Date.now() - lastActivity >= MOVE_THROTTLE_MS) active()
  }

  const options = { capture: true, passive: true }
  for (const e of ACTIVITY) window.addEventListener(e, active, options)
  window.addEventListener('pointermove', moved, options)
  watch(
    idleMs,
    () => {
      lastActivity = Date.now()
      schedule()
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    clearTimeout(timer)
    for (const e of ACTIVITY) window.removeEventListener(e, active, options)
    window.removeEventListener('pointermove', moved, options)
  })

  return { secondsLeft, stayActive: active }
}
