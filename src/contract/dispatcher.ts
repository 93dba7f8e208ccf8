import { methods, type ContractMethods } from './contract'
import { VigilError, type Envelope } from './errors'
import { isMethodName } from './names'

/** Turns zod issues into short `path: message` lines an engineer can act on. */
function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  return issues.map(
    (i) => `${i.path.length ? i.path.map(String).join('.') : '(params)'}: ${i.message}`,
  )
}

/**
 * The one entry point both hosts use: validates the method name and the parameters, calls the
 * core, and returns an envelope (never throws).
 */
export function createDispatcher(impl: ContractMethods, onInternalError?: (err: unknown) => void) {
  return async function dispatch(method: string, rawParams: unknown): Promise<Envelope<unknown>> {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method "${method}"` } }
    }
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
      const fn = impl[method] as (p: unknown) => Promise<unknown>
      return { ok: true, result: await fn.call(impl, parsed.data) }
    } catch (err) {
      if (err instanceof VigilError) return { ok: false, error: err.toData() }
      onInternalError?.(err)
      const message = err instanceof Error ? err.message : String(err)
      return { ok: false, error: { code: 'INTERNAL', message } }
    }
  }
}

export type Dispatch = ReturnType<typeof createDispatcher>
