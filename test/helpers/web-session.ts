import type { Role } from '../../src/contract'
import { TEST_PASSWORD } from './callers'

/** A signed-in caller of a web host, with its Bearer token. */
export interface WebSession {
  token: string
  /** Calls a method; returns the result or throws with the error envelope. */
  call<T>(method: string, params: unknown): Promise<T>
  /** The raw answer, for status codes. */
  post(method: string, params: unknown, headers?: Record<string, string>): Promise<Response>
}

function session(url: string, token: string): WebSession {
  const post = (method: string, params: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/call/${method}`, {
      method: 'POST',
      body: JSON.stringify(params),
      headers: { authorization: `Bearer ${token}`, ...headers },
    })
  return {
    token,
    post,
    async call<T>(method: string, params: unknown): Promise<T> {
      const env = (await (await post(method, params)).json()) as
        { ok: true; result: T } | { ok: false; error: unknown }
      if (!env.ok) throw new Error(`${method}: ${JSON.stringify(env.error)}`)
      return env.result
    },
  }
}

async function begin(url: string, path: string, body: unknown): Promise<WebSession> {
  const res = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) })
  const env = (await res.json()) as { ok: boolean; result?: { token: string }; error?: unknown }
  if (!env.ok || !env.result) throw new Error(`${path}: ${JSON.stringify(env.error)}`)
  return session(url, env.result.token)
}

/** The one-time set-up token in what `vigil serve` printed, if any. */
export function setupToken(output: string): string | null {
  return /#\/setup\?token=([A-Za-z0-9_-]+)/.exec(output)?.[1] ?? null
}

export function signInWeb(
  url: string,
  name: string,
  password: string = TEST_PASSWORD,
): Promise<WebSession> {
  return begin(url, '/api/login', { name, password })
}

/**
 * An engineer session on a spawned host: through the first-run set-up link it printed when it
 * has no accounts yet, else by signing in (sessions do not survive a restart).
 */
export async function engineerOn(
  host: { url: string; output(): string },
  name = 'engineer',
): Promise<WebSession> {
  const token = setupToken(host.output())
  if (token) {
    try {
      return await begin(host.url, '/api/setup', { token, name, password: TEST_PASSWORD })
    } catch {
      // Already used (a restarted host printed no link): sign in instead.
    }
  }
  return signInWeb(host.url, name)
}

/** Adds a user through the API as an engineer, and signs them in. */
export async function userOn(
  url: string,
  engineer: WebSession,
  name: string,
  role: Role,
): Promise<WebSession> {
  await engineer.call('saveUser', { name, role, password: TEST_PASSWORD })
  return signInWeb(url, name)
}
