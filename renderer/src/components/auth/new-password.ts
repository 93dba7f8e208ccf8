import type { Composer } from 'vue-i18n'
import { MIN_PASSWORD_LENGTH } from '../../lib/password-rules'

/** What is wrong with a new password typed twice, as the user types; null when nothing. */
export function newPasswordProblem(
  t: Composer['t'],
  password: string,
  repeat: string,
): string | null {
  if (password && password.length < MIN_PASSWORD_LENGTH)
    return t('auth.errors.short', { n: MIN_PASSWORD_LENGTH })
  if (repeat && repeat !== password) return t('auth.errors.repeat')
  return null
}

/** A new password long enough and typed the same twice. */
export const newPasswordReady = (password: string, repeat: string): boolean =>
  password.length >= MIN_PASSWORD_LENGTH && repeat === password
