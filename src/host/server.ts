import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import {
  createDispatcher,
  SESSION_BEGINNING_METHODS,
  SESSION_ENDING_METHODS,
  VigilError,
  WS_PATH,
  type CallContext,
  type Envelope,
  type MethodName,
} from '../contract'
import type { Logger } from '../log/logger'
import type { Monitor } from '../monitor/monitor'
import { VERSION } from '../version'
import { readJsonBody, sendJson, statusFor } from './http-util'
import { LoginThrottle } from './login-throttle'
import {
  allowedHostNames,
  isAllowedHost,
  isLoopbackAddress,
  isSameOrigin,
  type Scheme,
} from './request-guard'
import { clearedSessionCookie, remoteAddress, requestToken, sessionCookie } from './session-token'
import { serveStatic } from './static-files'
import { WsHub } from './ws-hub'

export interface ServerOptions {
  monitor: Monitor
  host: string
  port: number
  /** The built renderer (`out/renderer`). */
  staticDir: string
  logger: Logger
  /** Host names (besides this computer's) that requests may be addressed to. */
  allowHosts?: readonly string[]
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer }
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

const CALL_PREFIX = '/api/call/'
/** Short names for the session methods, as scripts expect them. */
const SESSION_ROUTES: Record<string, MethodName> = {
  '/api/login': 'signIn',
  '/api/logout': 'signOut',
  '/api/setup': 'setUpFirstAccount',
}

/**
 * `vigil serve`: the built renderer and the contract over HTTP (`POST /api/call/<method>`,
 * `POST /api/login`, `/api/logout`, `/api/setup`) and WebSocket (`/api/ws`), plus
 * `GET /api/health`. Every request must be addressed to an allowed host name; browser calls
 * must come from this host's own pages; calls carry a session (cookie or Bearer token), and
 * the contract's roles decide the rest. Loopback only unless told otherwise; a non-loopback
 * bind needs an engineer account and warns without TLS.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.logger.scope('host')
  const { monitor } = opts
  const auth = monitor.auth
  const loopback = isLoopbackAddress(opts.host)
  if (!loopback && auth.accounts.setupRequired())
    throw new VigilError(
      'NOT_AVAILABLE',
      `Vigil has no engineer account yet, so it will not listen on ${opts.host} (reachable from the network). Create one first (vigil users add NAME --role engineer), or start on 127.0.0.1 and use the set-up link.`,
    )
  const scheme: Scheme = opts.tls ? 'https' : 'http'
  const allowed = allowedHostNames(opts.host, opts.allowHosts ?? [])
  const dispatch = createDispatcher(monitor.methods, {
    onInternalError: (err) => log.error('call failed', err),
    signedOutReason: () => auth.signedOutReason(),
  })
  const hub = new WsHub(monitor, auth.sessions, dispatch, log)
  const throttle = new LoginThrottle()
  const secure = opts.tls !== undefined

  const contextOf = (req: IncomingMessage): CallContext => {
    const token = requestToken(req)
    return {
      caller: auth.sessions.resolve(token),
      token,
      desktop: false,
      origin: remoteAddress(req),
    }
  }

  async function call(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: 'use POST' })
    if (!isSameOrigin(req, scheme))
      return sendJson(res, 403, { ok: false, error: 'cross-origin call refused' })
    let params: unknown
    try {
      params = await readJsonBody(req)
    } catch (err) {
      const message = err instanceof Error ? err.message : 'unreadable body'
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'INVALID_PARAMS', message: `Body is not JSON: ${message}` },
      })
    }
    const ctx = contextOf(req)
    const begins = (SESSION_BEGINNING_METHODS as readonly string[]).includes(method)
    const wait = begins ? throttle.waitMs(ctx.origin) : 0
    if (wait > 0) {
      const env: Envelope<never> = {
        ok: false,
        error: {
          code: 'TOO_MANY_ATTEMPTS',
          message: `Too many failed sign-ins from ${ctx.origin}: try again in ${Math.ceil(wait / 1000)} s.`,
        },
      }
      return sendJson(res, 429, env)
    }
    const env = await dispatch(method, params, ctx)
    const headers: Record<string, string> = {}
    if (begins && env.ok) {
      throttle.succeeded(ctx.origin)
      const token = (env.result as { token?: string }).token
      if (token) headers['set-cookie'] = sessionCookie(token, secure)
    } else if (begins && !env.ok && env.error.code === 'UNAUTHENTICATED')
      throttle.failed(ctx.origin)
    if (env.ok && (SESSION_ENDING_METHODS as readonly string[]).includes(method))
      headers['set-cookie'] = clearedSessionCookie(secure)
    return sendJson(res, statusFor(env), env, headers)
  }

  async function health(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const status = monitor.status()
    const minimal = {
      ok: true,
      version: VERSION,
      backend: status.backend,
      uptimeS: Math.round((status.now - status.startedAt) / 1000),
      setupRequired: auth.accounts.setupRequired(),
    }
    // The details (sources, clients) are for signed-in callers only.
    if (!contextOf(req).caller) return sendJson(res, 200, minimal)
    return sendJson(res, 200, {
      ...minimal,
      sensors: status.sensors,
      sources: status.sources.map((s) => ({
        id: s.id,
        kind: s.kind,
        state: s.state,
        samplesPerS: s.samplesPerS,
        lastSampleAt: s.lastSampleAt,
        lastError: s.lastError,
      })),
      clients: hub.clientCount,
    })
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req, allowed))
      return sendJson(res, 403, { ok: false, error: 'host not allowed' })
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/api/health' && req.method === 'GET') return health(req, res)
    const sessionMethod = SESSION_ROUTES[path]
    if (sessionMethod) return call(req, res, sessionMethod)
    if (path.startsWith(CALL_PREFIX)) {
      let method: string
      try {
        method = decodeURIComponent(path.slice(CALL_PREFIX.length))
      } catch {
        return sendJson(res, 400, { ok: false, error: 'bad method name' })
      }
      return call(req, res, method)
    }
    if (path.startsWith('/api/'))
      return sendJson(res, 404, { ok: false, error: 'no such endpoint' })
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { ok: false, error: 'method not allowed' })
    serveStatic(opts.staticDir, req, res)
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', err)
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' })
      else res.end()
    })
  }
  const server = opts.tls
    ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener)
    : createHttpServer(listener)
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== WS_PATH || !isAllowedHost(req, allowed) || !isSameOrigin(req, scheme)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    // Authenticated at the upgrade: no session, no socket.
    const token = requestToken(req)
    if (!auth.sessions.resolve(token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
      return
    }
    hub.handleUpgrade(req, socket, head, token as string, remoteAddress(req))
  })

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolvePromise()
    })
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host
  const url = `${scheme}://${shownHost}:${port}`
  log.info(`listening on ${url}`)
  if (!loopback && !opts.tls)
    log.warn(
      `listening on ${opts.host} without TLS: passwords and data cross the network unencrypted. Use --tls-cert FILE --tls-key FILE.`,
    )
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        hub.close()
        server.closeAllConnections()
        server.close(() => resolvePromise())
      }),
  }
}
