import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useSessionStore } from '../../stores/session'
import { authFailure } from './auth-error'

/**
 * A name and password form that signs in (at the sign-in page, or over the open screens when
 * switching user): a refusal is worded and the password field emptied for the next try.
 */
export function useSignIn(done: () => void = () => {}) {
  const { t } = useI18n()
  const session = useSessionStore()
  const name = ref('')
  const password = ref('')
  const error = ref<string | null>(null)
  const busy = ref(false)

  async function submit(): Promise<void> {
    if (!name.value.trim() || !password.value) return
    busy.value = true
    try {
      await session.signIn(name.value.trim(), password.value)
      done()
    } catch (err) {
      error.value = authFailure(t, err)
      password.value = ''
    } finally {
      busy.value = false
    }
  }

  return { name, password, error, busy, submit }
}
