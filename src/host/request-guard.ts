import type { IncomingMessage } from 'node:http'
import { hostname as osHostname, networkInterfaces } from 'node:os'

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1']

export type Scheme = 'http' | 'https'

/** True for the addresses that only this computer can reach. */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return (
    h === 'localhost' ||
    h === '::1' ||
    h.startsWith('127.') ||
    h.startsWith('::ffff:127.') ||
    h === '0:0:0:0:0:0:0:1'
  )
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]'

/**
 * The host names (and addresses) requests may be addressed to: the loopback names, and for a
 * non-loopback bind this computer's name and addresses (all of them for 0.0.0.0 or ::, else
 * the bound one), plus every name given with `--allow-host`. Anything else is refused, so a web
 * page on another site cannot reach the host through DNS rebinding.
 */
export function allowedHostNames(
  bind: string,
  extra: readonly string[],
  env: { hostname?: string; addresses?: string[] } = {},
): Set<string> {
  const names = new Set(LOOPBACK_NAMES)
  if (!isLoopbackAddress(bind)) {
    const host = env.hostname ?? osHostname()
    names.add(host.toLowerCase())
    if (isWildcard(bind)) {
      const addresses =
        env.addresses ??
        Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address))
      for (const a of addresses) names.add(a.toLowerCase().split('%')[0] ?? a)
    } else names.add(bind.toLowerCase().replace(/^\[|\]$/g, ''))
  }
  for (const e of extra)
    names.add(
      e
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ''),
    )
  return names
}

/** The name in a Host header, without port or brackets, lower case; null when malformed. */
export function hostHeaderName(host: string | undefined): string | null {
  if (!host) return null
  try {
    return new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  } catch {
    return null
  }
}

/** Whether the request is addressed to one of the allowed names. */
export function isAllowedHost(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const name = hostHeaderName(req.headers.host)
  return name !== null && allowed.has(name)
}

/**
 * A browser request must come from a page this host served: the Origin's scheme, host and
 * port all equal to this host's. A request without Origin is not from a browser page (a
 * script, a test client) and is let through: it still needs a session.
 */
export function isSameOrigin(req: IncomingMessage, scheme: Scheme): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  const host = req.headers.host
  if (!host) return false
  try {
    const from = new URL(origin)
    const self = new URL(`${scheme}://${host}`)
    return from.protocol === self.protocol && from.host === self.host
  } catch {
    return false
  }
}
