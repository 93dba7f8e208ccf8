import type { ErrorData } from './errors'

/**
 * Messages on the WebSocket at `/api/ws` (JSON text frames). The browser sends calls; the host
 * answers each call once with its id, and pushes events to every connected client.
 */
export interface WireCall {
  type: 'call'
  id: number
  method: string
  params: unknown
}

export type WireReply =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: ErrorData }

export interface WireEvent {
  type: 'event'
  event: string
  data: unknown
}

export type ServerMessage = WireReply | WireEvent

/** Path of the WebSocket endpoint, relative to the host's origin. */
export const WS_PATH = '/api/ws'
