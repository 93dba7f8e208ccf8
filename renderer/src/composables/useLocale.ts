import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { LOCALES, LOCALE_NAMES, isLocale, rememberLocale, type Locale } from '../i18n'

/** The current language as a typed value, and a setter that remembers the choice. */
export function useLocale() {
  const { locale } = useI18n()
  const current = computed<Locale>(() => (isLocale(locale.value) ? locale.value : 'en'))

  function setLocale(next: Locale): void {
    locale.value = next
    rememberLocale(next)
  }

  return { locale: current, setLocale, locales: LOCALES, names: LOCALE_NAMES }
}
