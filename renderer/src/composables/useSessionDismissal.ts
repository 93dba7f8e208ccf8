import { ref } from 'vue'

/**
 * Remembers, for this session only, which occurrence of a notice was dismissed (by a key such
 * as the time it happened), so a new occurrence shows again.
 */
export function useSessionDismissal(storageKey: string) {
  const dismissed = ref<string | null>(read())

  function read(): string | null {
    try {
      return window.sessionStorage.getItem(storageKey)
    } catch {
      return null
    }
  }

  function dismiss(key: string): void {
    dismissed.value = key
    try {
      window.sessionStorage.setItem(storageKey, key)
    } catch {
      // Without session storage the notice comes back on reload, which is acceptable.
    }
  }

  return { dismissed, dismiss }
}
