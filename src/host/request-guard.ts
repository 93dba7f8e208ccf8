import type { IncomingMessage } from 'node:http'

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * When bound to loopback, only requests addressed to a loopback name are served: a web page on
 * another site cannot reach the host through DNS rebinding.
 */
export function isAllowedHost(req: IncomingMessage, loopbackOnly: boolean): boolean {
  if (!loopbackOnly) return true
  const host = req.headers.host
  if (!host) return false
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]
  return LOOPBACK_NAMES.has(name ?? '')
}

/** A WebSocket must come from a page served by this host (browsers always send Origin). */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true // not a browser: a local tool or test client
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}
