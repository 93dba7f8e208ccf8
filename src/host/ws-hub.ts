import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  EVENT_NAMES,
  SESSION_BEGINNING_METHODS,
  type Dispatch,
  type Envelope,
  type EventName,
  type ServerMessage,
  type SessionEndReason,
  type WireCall,
} from '../contract'
import type { Sessions } from '../auth/sessions'
import type { Logger } from '../log/logger'
import type { Monitor } from '../monitor/monitor'

/** A client that has this much unsent data is too slow: its sample events are dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
const MAX_MESSAGE_BYTES = 1024 * 1024
/** Close code telling the page its session ended: sign in again rather than reconnect. */
export const WS_SESSION_ENDED = 4401

interface Client {
  token: string
  origin: string
}

function parseCall(text: string): WireCall | null {
  try {
    const msg: unknown = JSON.parse(text)
    if (typeof msg !== 'object' || msg === null) return null
    const m = msg as Record<string, unknown>
    if (m.type !== 'call' || typeof m.id !== 'number' || typeof m.method !== 'string') return null
    return { type: 'call', id: m.id, method: m.method, params: m.params }
  } catch {
    return null
  }
}

/**
 * The contract over WebSocket: calls in, replies and events out. Each socket belongs to the
 * session it was opened with (checked again at every call) and is closed when that session
 * ends. Each event is serialized once and sent to every client.
 */
export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  private readonly clients = new Map<WebSocket, Client>()
  private readonly unsubscribe: (() => void)[] = []

  constructor(
    monitor: Monitor,
    private readonly sessions: Sessions,
    private readonly dispatch: Dispatch,
    private readonly log: Logger,
  ) {
    for (const event of EVENT_NAMES) {
      if (event === 'session') continue
      this.unsubscribe.push(monitor.on(event, (data) => this.broadcast(event, data)))
    }
    this.unsubscribe.push(sessions.onEnded((token, reason) => this.closeSession(token, reason)))
  }

  get clientCount(): number {
    return this.clients.size
  }

  /** Takes over an upgrade whose session the server has checked. */
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    token: string,
    origin: string,
  ): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, { token, origin }))
  }

  private onConnection(ws: WebSocket, client: Client): void {
    this.clients.set(ws, client)
    ws.on('close', () => this.clients.delete(ws))
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return
      const call = parseCall(raw.toString())
      if (!call) {
        this.log.warn('malformed WebSocket message ignored')
        return
      }
      void this.answer(ws, client, call)
    })
    ws.on('error', (err) => this.log.warn('WebSocket error', err))
  }

  private async answer(ws: WebSocket, client: Client, call: WireCall): Promise<void> {
    let env: Envelope<unknown>
    if ((SESSION_BEGINNING_METHODS as readonly string[]).includes(call.method)) {
      // A socket belongs to one session: a new one is begun over HTTP (POST /api/login).
      env = {
        ok: false,
        error: { code: 'INVALID_PARAMS', message: `Use POST /api/call/${call.method} to sign in.` },
      }
    } else {
      const caller = this.sessions.resolve(client.token)
      env = await this.dispatch(call.method, call.params, {
        caller,
        token: client.token,
        desktop: false,
        origin: client.origin,
      })
    }
    const reply: ServerMessage = env.ok
      ? { type: 'result', id: call.id, ok: true, result: env.result }
      : { type: 'result', id: call.id, ok: false, error: env.error }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply))
    // The session ended while the call ran (a sign-out, an expiry): so does the socket.
    if (!this.sessions.isOpen(client.token)) this.closeSession(client.token, 'signed-out')
  }

  /** Tells the screens of a session why it ended, then closes their sockets. */
  private closeSession(token: string, reason: SessionEndReason): void {
    const text = JSON.stringify({
      type: 'event',
      event: 'session',
      data: { ended: reason },
    } satisfies ServerMessage)
    for (const [ws, c] of this.clients) {
      if (c.token !== token) continue
      this.clients.delete(ws)
      if (ws.readyState === ws.OPEN) ws.send(text)
      ws.close(WS_SESSION_ENDED, 'session ended')
    }
  }

  private broadcast(event: EventName, data: unknown): void {
    if (this.clients.size === 0) return
    const text = JSON.stringify({ type: 'event', event, data } satisfies ServerMessage)
    for (const ws of this.clients.keys()) {
      if (ws.readyState !== ws.OPEN) continue
      if (event === 'samples' && ws.bufferedAmount > MAX_BUFFERED_BYTES) continue
      ws.send(text)
    }
  }

  close(): void {
    for (const u of this.unsubscribe) u()
    for (const ws of this.wss.clients) ws.terminate()
    this.clients.clear()
    this.wss.close()
  }
}
