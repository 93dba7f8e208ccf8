import { ApiError } from '../api/client'

/** What became of an action; `forbidden` when the host refused the signed-in user's role. */
export type ActionOutcome<T> =
  | { ok: true; result: T }
  | { ok: false; message: string; forbidden: boolean; issues: readonly string[] }

export async function attempt<T>(run: () => Promise<T>): Promise<ActionOutcome<T>> {
  try {
    return { ok: true, result: await run() }
  } catch (err) {
    const api = err instanceof ApiError ? err : null
    return {
      ok: false,
      message: err instanceof Error ? err.message : String(err),
      forbidden: api?.code === 'FORBIDDEN',
      issues: api?.code === 'INVALID_PARAMS' ? api.issues : [],
    }
  }
}
