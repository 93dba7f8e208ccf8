import type { ServerMessage } from '@vigil/contract'

/** What the transport needs from a socket; the browser's WebSocket is adapted to it. */
export interface SocketLike {
  send(data: string): void
  close(): void
}

export interface SocketHandlers {
  open(): void
  message(data: string): void
  /** `code`: the WebSocket close code (4401: the host ended the session). */
  close(code?: number): void
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike

/** The browser's WebSocket behind the {@link SocketLike} interface. */
export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url)
  ws.onopen = () => handlers.open()
  ws.onmessage = (ev) => {
    if (typeof ev.data === 'string') handlers.message(ev.data)
  }
  ws.onclose = (ev) => handlers.close(ev.code)
  return { send: (data) => ws.send(data), close: () => ws.close() }
}

/** A server message, or null for anything that is not one (ignored, not fatal). */
export function parseMessage(data: string): ServerMessage | null {
  try {
    const msg: unknown = JSON.parse(data)
    if (typeof msg !== 'object' || msg === null || !('type' in msg)) return null
    return msg.type === 'result' || msg.type === 'event' ? (msg as ServerMessage) : null
  } catch {
    return null
  }
}
