import { roleAllows } from './auth-schemas'
import { methods, type CallContext, type ContractMethods } from './contract'
import { VigilError, type Envelope, type ErrorData } from './errors'
import { isMethodName } from './names'

/** Turns zod issues into short `path: message` lines an engineer can act on. */
function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  return issues.map(
    (i) => `${i.path.length ? i.path.map(String).join('.') : '(params)'}: ${i.message}`,
  )
}

export interface DispatcherOptions {
  onInternalError?: (err: unknown) => void
  /** Why a caller without a session is refused, when there is more to say (first run). */
  signedOutReason?: () => string | null
}

/** Refuses a caller whose role is not enough; null when the call may go on. */
export function checkAccess(
  method: keyof typeof methods,
  ctx: CallContext,
  signedOutReason?: () => string | null,
): ErrorData | null {
  const needs = methods[method].role
  if (needs === 'public') return null
  if (!ctx.caller)
    return {
      code: 'UNAUTHENTICATED',
      message: signedOutReason?.() ?? `Sign in to use "${method}".`,
    }
  if (!roleAllows(ctx.caller.role, needs))
    return {
      code: 'FORBIDDEN',
      message: `"${method}" needs the ${needs} role; ${ctx.caller.name} is ${ctx.caller.role === 'engineer' ? 'an' : 'a'} ${ctx.caller.role}.`,
    }
  return null
}

/**
 * The one entry point both hosts use: checks the method name, then the caller's role (before
 * the parameters are even read), validates the parameters, calls the core, and returns an
 * envelope (never throws). Who the caller is comes from the host's session, never from the
 * payload.
 */
export function createDispatcher(impl: ContractMethods, opts: DispatcherOptions = {}) {
  return async function dispatch(
    method: string,
    rawParams: unknown,
    ctx: CallContext,
  ): Promise<Envelope<unknown>> {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method "${method}"` } }
    }
    const refused = checkAccess(method, ctx, opts.signedOutReason)
    if (refused) return { ok: false, error: refused }
    const parsed = methods[method].params.safeParse(rawParams ?? {})
    if (!parsed.success) {
      const issues = describeIssues(parsed.error.issues)
      return {
        ok: false,
        error: {
          code: 'INVALID_PARAMS',
          message: `Invalid parameters for ${method}: ${issues.join('; ')}`,
          issues,
        },
      }
    }
    try {
      const fn = impl[method] as (p: unknown, c: CallContext) => Promise<unknown>
      return { ok: true, result: await fn.call(impl, parsed.data, ctx) }
    } catch (err) {
      if (err instanceof VigilError) return { ok: false, error: err.toData() }
      opts.onInternalError?.(err)
      const message = err instanceof Error ? err.message : String(err)
      return { ok: false, error: { code: 'INTERNAL', message } }
    }
  }
}

export type Dispatch = ReturnType<typeof createDispatcher>
