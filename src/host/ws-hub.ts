import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  EVENT_NAMES,
  type Dispatch,
  type EventName,
  type ServerMessage,
  type WireCall,
} from '../contract'
import type { Logger } from '../log/logger'
import type { Monitor } from '../monitor/monitor'

/** A client that has this much unsent data is too slow: its sample events are dropped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
const MAX_MESSAGE_BYTES = 1024 * 1024

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
 * The contract over WebSocket: calls in, replies and events out. Each event is serialized once
 * and sent to every client.
 */
export class WsHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  private readonly unsubscribe: (() => void)[] = []

  constructor(
    monitor: Monitor,
    private readonly dispatch: Dispatch,
    private readonly log: Logger,
  ) {
    for (const event of EVENT_NAMES) {
      this.unsubscribe.push(monitor.on(event, (data) => this.broadcast(event, data)))
    }
    this.wss.on('connection', (ws) => this.onConnection(ws))
  }

  get clientCount(): number {
    return this.wss.clients.size
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req))
  }

  private onConnection(ws: WebSocket): void {
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return
      const call = parseCall(raw.toString())
      if (!call) {
        this.log.warn('malformed WebSocket message ignored')
        return
      }
      void this.dispatch(call.method, call.params).then((env) => {
        const reply: ServerMessage = env.ok
          ? { type: 'result', id: call.id, ok: true, result: env.result }
          : { type: 'result', id: call.id, ok: false, error: env.error }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply))
      })
    })
    ws.on('error', (err) => this.log.warn('WebSocket error', err))
  }

  private broadcast(event: EventName, data: unknown): void {
    if (this.wss.clients.size === 0) return
    const text = JSON.stringify({ type: 'event', event, data } satisfies ServerMessage)
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN) continue
      if (event === 'samples' && ws.bufferedAmount > MAX_BUFFERED_BYTES) continue
      ws.send(text)
    }
  }

  close(): void {
    for (const u of this.unsubscribe) u()
    for (const ws of this.wss.clients) ws.terminate()
    this.wss.close()
  }
}
