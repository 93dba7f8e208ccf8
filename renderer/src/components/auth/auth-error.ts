import type { Composer } from 'vue-i18n'
import { ApiError } from '../../api/client'

/** A failed sign-in, set-up or password change, worded in the user's language where it can be. */
export function authFailure(t: Composer['t'], err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'UNAUTHENTICATED') return t('auth.errors.wrong')
    if (err.code === 'TOO_MANY_ATTEMPTS') return t('auth.errors.locked')
    if (err.code === 'INVALID_PARAMS' && err.issues.some((i) => i.startsWith('password')))
      return t('auth.errors.weak')
    if (err.code === 'INVALID_PARAMS' && err.issues.some((i) => i.startsWith('currentPassword')))
      return t('auth.errors.current')
    if (err.code === 'TRANSPORT' || err.code === 'DISCONNECTED' || err.code === 'TIMEOUT')
      return t('auth.errors.unreachable')
  }
  return t('auth.errors.other', { message: err instanceof Error ? err.message : String(err) })
}
