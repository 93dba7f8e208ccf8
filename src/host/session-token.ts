import type { IncomingMessage } from 'node:http'

export const SESSION_COOKIE = 'vigil_session'

/** The session token a request carries: `Authorization: Bearer`, else the session cookie. */
export function requestToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth)
    return m?.[1] ?? null
  }
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim()
      return value === '' ? null : value
    }
  }
  return null
}

/**
 * The session cookie: HttpOnly (page scripts cannot read it), SameSite=Strict (another site's
 * page cannot make the browser send it), Secure over TLS. No expiry: it goes with the browser
 * session, and the host ends the session itself anyway.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`
}

/** Where a call came from, for the audit trail. */
export function remoteAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown'
}
