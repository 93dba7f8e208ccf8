import {
  createDispatcher,
  type CallContext,
  type MethodName,
  type Params,
  type Result,
  type Role,
  type SignedInContext,
} from '../../src/contract'
import type { Monitor } from '../../src/monitor/monitor'

/** The password test accounts get (long enough for the rules). */
export const TEST_PASSWORD = 'correct horse battery'

/** A caller of a given role, for calling `monitor.methods` directly (no session, no role check). */
export function as(role: Role, name: string = role): SignedInContext {
  return { caller: { name, role }, token: null, desktop: false, origin: 'test' }
}

/** A call without a session. */
export const anonymous: CallContext = { caller: null, token: null, desktop: false, origin: 'test' }

/** Adds an account (the console does it) unless it exists. */
export async function addAccount(
  m: Monitor,
  name: string,
  role: Role,
  password: string = TEST_PASSWORD,
): Promise<void> {
  if (m.auth.accounts.get(name)) return
  await m.auth.accounts.save({ name: 'console (test)', origin: 'console' }, name, role, password)
}

/**
 * A real session of an account of that role (added if missing), and a `call` that goes through
 * the dispatcher as a host would: the role is checked, the parameters validated. `call` returns
 * the result or throws the error envelope's message.
 */
export async function signedIn(m: Monitor, role: Role, name: string = role) {
  await addAccount(m, name, role)
  const { token } = await m.auth.signIn({ name, password: TEST_PASSWORD }, anonymous)
  const dispatch = createDispatcher(m.methods)
  const context = (): CallContext => ({
    caller: m.auth.sessions.resolve(token ?? null),
    token: token ?? null,
    desktop: false,
    origin: 'test',
  })
  return {
    token: token ?? '',
    context,
    dispatch: (method: string, params: unknown) => dispatch(method, params, context()),
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      const env = await dispatch(method, params, context())
      if (!env.ok) throw new Error(`${method}: ${env.error.code}: ${env.error.message}`)
      return env.result as Result<M>
    },
  }
}
