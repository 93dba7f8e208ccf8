import { onBeforeUnmount, onMounted, ref } from 'vue'

/** A time value that ticks on each whole second of `now()`, for clocks on screen. */
export function useClock(now: () => number = Date.now) {
  const time = ref(now())
  let timer: ReturnType<typeof setTimeout> | undefined

  function tick(): void {
    time.value = now()
    // Re-aim at the next second boundary so the display never skips or doubles a second.
    timer = setTimeout(tick, 1000 - (time.value % 1000) + 5)
  }

  onMounted(tick)
  onBeforeUnmount(() => clearTimeout(timer))
  return time
}
