import { onBeforeUnmount, watch, type Ref } from 'vue'
import { patternFor, type HearState, type SoundPattern } from '../lib/alarm-sound'

type AudioContextCtor = new () => AudioContext

function audioContextCtor(): AudioContextCtor | null {
  const w = window as Window & { webkitAudioContext?: AudioContextCtor }
  return typeof window.AudioContext === 'function'
    ? window.AudioContext
    : (w.webkitAudioContext ?? null)
}

const VOLUME = 0.18

/**
 * Plays the pattern of the hear-state, repeated, with Web Audio oscillators. Never throws: with
 * no audio (headless, a locked-down PC) or a context the browser keeps suspended until the user
 * interacts, it simply stays quiet and tries again at the next repeat.
 */
export function useAlarmSound(state: Ref<HearState>): void {
  let ctx: AudioContext | null = null
  let timer: ReturnType<typeof setInterval> | null = null
  let unavailable = false

  function context(): AudioContext | null {
    if (ctx || unavailable) return ctx
    try {
      const Ctor = audioContextCtor()
      if (!Ctor) {
        unavailable = true
        return null
      }
      ctx = new Ctor()
    } catch {
      unavailable = true
    }
    return ctx
  }

  function play(pattern: SoundPattern): void {
    try {
      const c = context()
      if (!c) return
      if (c.state === 'suspended') {
        c.resume().catch(() => {})
        return
      }
      const t0 = c.currentTime + 0.02
      for (const tone of pattern.tones) {
        const osc = c.createOscillator()
        const gain = c.createGain()
        osc.type = 'square'
        osc.frequency.value = tone.freq
        const start = t0 + tone.at / 1000
        const end = start + tone.durationMs / 1000
        gain.gain.setValueAtTime(0, start)
        gain.gain.linearRampToValueAtTime(VOLUME * tone.gain, start + 0.01)
        gain.gain.setValueAtTime(VOLUME * tone.gain, end - 0.02)
        gain.gain.linearRampToValueAtTime(0, end)
        osc.connect(gain).connect(c.destination)
        osc.start(start)
        osc.stop(end + 0.01)
      }
    } catch {
      // Sound is a help, never a reason for the page to fail.
    }
  }

  function stop(): void {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  // A suspended context can only start from a user gesture.
  const unlock = () => {
    try {
      if (ctx?.state === 'suspended') void ctx.resume().catch(() => {})
    } catch {
      // ignore
    }
  }
  window.addEventListener('pointerdown', unlock)
  window.addEventListener('keydown', unlock)

  watch(
    state,
    (next) => {
      stop()
      const pattern = patternFor(next)
      if (!pattern) return
      play(pattern)
      timer = setInterval(() => play(pattern), pattern.repeatMs)
    },
    { immediate: true },
  )

  onBeforeUnmount(() => {
    stop()
    window.removeEventListener('pointerdown', unlock)
    window.removeEventListener('keydown', unlock)
    void ctx?.close().catch(() => {})
    ctx = null
  })
}
