import { createI18n } from 'vue-i18n'
import en, { type Messages } from './en'
import zhCN from './zh-CN'

export const LOCALES = ['en', 'zh-CN'] as const
export type Locale = (typeof LOCALES)[number]

/** Each language's name in itself, so anyone can find their own. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' }

const STORAGE_KEY = 'vigil.locale'

export const isLocale = (value: unknown): value is Locale =>
  (LOCALES as readonly unknown[]).includes(value)

/** The remembered choice, else the browser's language, else English. */
export function initialLocale(): Locale {
  const saved = safeStorage()?.getItem(STORAGE_KEY)
  if (isLocale(saved)) return saved
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export function rememberLocale(locale: Locale): void {
  document.documentElement.lang = locale
  try {
    safeStorage()?.setItem(STORAGE_KEY, locale)
  } catch {
    // A full or read-only storage only costs the choice at the next start.
  }
}

// Storage can be disabled by policy on locked-down plant PCs; the UI must still start.
function safeStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export function createAppI18n() {
  const locale = initialLocale()
  document.documentElement.lang = locale
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-CN': zhCN },
  })
}
