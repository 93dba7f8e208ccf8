import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDispatcher, WS_PATH, type Envelope } from '../contract'
import type { Logger } from '../log/logger'
import type { Monitor } from '../monitor/monitor'
import { VERSION } from '../version'
import { isAllowedHost, isLoopbackAddress, isSameOrigin } from './request-guard'
import { serveStatic } from './static-files'
import { WsHub } from './ws-hub'

export interface ServerOptions {
  monitor: Monitor
  host: string
  port: number
  /** The built renderer (`out/renderer`). */
  staticDir: string
  logger: Logger
}

export interface RunningServer {
  url: string
  port: number
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1024 * 1024
const CALL_PREFIX = '/api/call/'

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(JSON.stringify(body))
}

function statusFor(env: Envelope<unknown>): number {
  if (env.ok) return 200
  switch (env.error.code) {
    case 'INVALID_PARAMS':
      return 400
    case 'UNKNOWN_METHOD':
    case 'NOT_FOUND':
      return 404
    case 'FORBIDDEN':
      return 403
    case 'NOT_AVAILABLE':
      return 409
    default:
      return 500
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  return text === '' ? {} : JSON.parse(text)
}

/**
 * `vigil serve`: the built renderer and the contract over HTTP (`POST /api/call/<method>`) and
 * WebSocket (`/api/ws`), plus `GET /api/health`. Loopback only unless told otherwise.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.logger.scope('host')
  const dispatch = createDispatcher(opts.monitor, (err) => log.error('call failed', err))
  const hub = new WsHub(opts.monitor, dispatch, log)
  const loopbackOnly = isLoopbackAddress(opts.host)

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAllowedHost(req, loopbackOnly))
      return sendJson(res, 403, { ok: false, error: 'host not allowed' })
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/api/health' && req.method === 'GET') {
      const status = await opts.monitor.getStatus()
      return sendJson(res, 200, {
        ok: true,
        version: VERSION,
        backend: status.backend,
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
        uptimeS: Math.round((status.now - status.startedAt) / 1000),
      })
    }
    if (path.startsWith(CALL_PREFIX)) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: 'use POST' })
      if (!isSameOrigin(req))
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
      const env = await dispatch(decodeURIComponent(path.slice(CALL_PREFIX.length)), params)
      return sendJson(res, statusFor(env), env)
    }
    if (path.startsWith('/api/'))
      return sendJson(res, 404, { ok: false, error: 'no such endpoint' })
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { ok: false, error: 'method not allowed' })
    serveStatic(opts.staticDir, req, res)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', err)
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal error' })
      else res.end()
    })
  })
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0]
    if (path !== WS_PATH || !isAllowedHost(req, loopbackOnly) || !isSameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    hub.handleUpgrade(req, socket, head)
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
  const url = `http://${shownHost}:${port}`
  log.info(`listening on ${url}`)
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
