import type {
  ContractTransport,
  Envelope,
  EventName,
  EventPayload,
  MethodName,
  Params,
  Result,
  WireCall,
} from '@vigil/contract'
import { TransportError } from './api-error'
import { browserSocket, parseMessage, type SocketFactory, type SocketLike } from './ws-socket'

export type { SocketFactory, SocketHandlers, SocketLike } from './ws-socket'

/** `signed-out`: not connected because there is no session (the host refuses or ended it). */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'signed-out' | 'closed'

/** The close code with which the host says the socket's session ended (see the host's hub). */
export const SESSION_ENDED_CODE = 4401

export interface WsTransportOptions {
  url: string
  createSocket?: SocketFactory
  /** How long a call may wait for its answer, including time spent waiting for a connection. */
  callTimeoutMs?: number
  /**
   * The host pushes status every ~2 s, so this much silence means a dead link (a pulled cable
   * often produces no close event for minutes).
   */
  idleTimeoutMs?: number
  backoffInitialMs?: number
  backoffMaxMs?: number
  random?: () => number
  /** False: wait for `resume()` (the page signs in first). */
  connectNow?: boolean
}

export interface WsTransport extends ContractTransport {
  /** `timeoutMs` overrides the default for a call known to take long (a backup). */
  call<M extends MethodName>(
    method: M,
    params: Params<M>,
    timeoutMs?: number,
  ): Promise<Envelope<Result<M>>>
  readonly state: ConnectionState
  onStateChange(listener: (state: ConnectionState) => void): () => void
  /** Connects when signed out or not yet connected; reconnects at once (a new session) when open. */
  resume(): void
  /** Disconnects without reconnecting (signed out); `resume` connects again. */
  pause(): void
  /** Closes for good: no reconnect, pending calls fail. */
  close(): void
}

interface PendingCall {
  message: WireCall
  resolve(envelope: Envelope<unknown>): void
  reject(err: TransportError): void
  timer: ReturnType<typeof setTimeout>
  sent: boolean
}

type AnyListener = (payload: unknown) => void

/**
 * The contract over the host's WebSocket: replies matched by id, events fanned out to
 * listeners that survive reconnects (the host pushes events to every client, so reconnecting
 * is all a re-subscription takes).
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const createSocket = options.createSocket ?? browserSocket
  const callTimeoutMs = options.callTimeoutMs ?? 30_000
  const idleTimeoutMs = options.idleTimeoutMs ?? 15_000
  const backoffInitialMs = options.backoffInitialMs ?? 500
  const backoffMaxMs = options.backoffMaxMs ?? 10_000
  const random = options.random ?? Math.random

  let state: ConnectionState = 'connecting'
  let socket: SocketLike | null = null
  let generation = 0
  let attempt = 0
  let nextId = 1
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let idleTimer: ReturnType<typeof setTimeout> | undefined
  const pending = new Map<number, PendingCall>()
  const listeners = new Map<string, Set<AnyListener>>()
  const stateListeners = new Set<(state: ConnectionState) => void>()

  function setState(next: ConnectionState): void {
    if (next === state) return
    state = next
    for (const listener of stateListeners) listener(next)
  }

  function armIdleTimer(): void {
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => {
      socket?.close()
      dropped()
    }, idleTimeoutMs)
  }

  function connect(): void {
    const gen = ++generation
    // Events from a socket we already gave up on must not touch the current one.
    const current = (fn: () => void) => () => gen === generation && fn()
    socket = createSocket(options.url, {
      open: current(opened),
      message: (data) => gen === generation && received(data),
      close: (code) => {
        if (gen !== generation) return
        if (code === SESSION_ENDED_CODE) signedOut('Signed out')
        else dropped()
      },
    })
    // A handshake to an unreachable host can hang for minutes before the browser gives up.
    armIdleTimer()
  }

  function opened(): void {
    attempt = 0
    setState('open')
    armIdleTimer()
    for (const call of pending.values()) if (!call.sent) send(call)
  }

  function send(call: PendingCall): void {
    call.sent = true
    socket?.send(JSON.stringify(call.message))
  }

  function received(data: string): void {
    armIdleTimer()
    const msg = parseMessage(data)
    if (!msg) return
    if (msg.type === 'result') {
      const call = pending.get(msg.id)
      if (!call) return
      pending.delete(msg.id)
      clearTimeout(call.timer)
      call.resolve(msg.ok ? { ok: true, result: msg.result } : { ok: false, error: msg.error })
      return
    }
    for (const listener of listeners.get(msg.event) ?? []) {
      try {
        listener(msg.data)
      } catch (err) {
        // One failing listener must not starve the others; rethrow where it will be reported.
        queueMicrotask(() => {
          throw err
        })
      }
    }
  }

  function failSent(reason: string): void {
    for (const [id, call] of pending) {
      if (!call.sent) continue
      pending.delete(id)
      clearTimeout(call.timer)
      call.reject(
        new TransportError(
          'DISCONNECTED',
          `${reason} before "${call.message.method}" was answered; it may or may not have run.`,
        ),
      )
    }
  }

  /** No session: stop, fail what waits, and wait for `resume`. */
  function signedOut(reason: string): void {
    generation++
    clearTimeout(reconnectTimer)
    clearTimeout(idleTimer)
    socket?.close()
    socket = null
    for (const [id, call] of pending) {
      pending.delete(id)
      clearTimeout(call.timer)
      call.reject(
        new TransportError('DISCONNECTED', `${reason}: "${call.message.method}" was not answered.`),
      )
    }
    if (state !== 'closed') setState('signed-out')
  }

  function dropped(): void {
    generation++
    socket = null
    clearTimeout(idleTimer)
    failSent('The connection to the Vigil host was lost')
    if (state === 'closed') return
    setState('reconnecting')
    const delay = Math.min(backoffMaxMs, backoffInitialMs * 2 ** attempt)
    attempt++
    // Jitter so that many screens do not hammer a restarting host in lockstep.
    reconnectTimer = setTimeout(connect, delay * (0.5 + random() / 2))
  }

  if (options.connectNow === false) state = 'signed-out'
  else connect()

  return {
    get state() {
      return state
    },
    onStateChange(listener) {
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    },
    call<M extends MethodName>(
      method: M,
      params: Params<M>,
      timeoutMs = callTimeoutMs,
    ): Promise<Envelope<Result<M>>> {
      if (state === 'closed') {
        return Promise.reject(new TransportError('DISCONNECTED', 'The transport is closed.'))
      }
      if (state === 'signed-out') {
        return Promise.resolve({
          ok: false,
          error: { code: 'UNAUTHENTICATED', message: `Sign in to use "${method}".` },
        })
      }
      return new Promise((resolve, reject) => {
        const id = nextId++
        const timer = setTimeout(() => {
          pending.delete(id)
          const waiting = state === 'open' ? 'for an answer' : 'for a connection to the host'
          reject(
            new TransportError(
              'TIMEOUT',
              `"${method}" timed out after ${timeoutMs} ms waiting ${waiting}.`,
            ),
          )
        }, timeoutMs)
        const call: PendingCall = {
          message: { type: 'call', id, method, params },
          resolve: (envelope) => resolve(envelope as Envelope<Result<M>>),
          reject,
          timer,
          sent: false,
        }
        pending.set(id, call)
        // Calls made while (re)connecting wait for the socket: they have not run anywhere yet.
        if (state === 'open') send(call)
      })
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const untyped = listener as AnyListener
      set.add(untyped)
      return () => set.delete(untyped)
    },
    resume() {
      if (state === 'closed') return
      clearTimeout(reconnectTimer)
      attempt = 0
      if (state !== 'signed-out') {
        // A new session: the open socket belongs to the old one.
        generation++
        socket?.close()
        socket = null
        clearTimeout(idleTimer)
        failSent('The session changed')
      }
      setState('connecting')
      connect()
    },
    pause() {
      if (state !== 'closed') signedOut('Signed out')
    },
    close() {
      setState('closed')
      clearTimeout(reconnectTimer)
      socket?.close()
      dropped()
      for (const [id, call] of pending) {
        pending.delete(id)
        clearTimeout(call.timer)
        call.reject(new TransportError('DISCONNECTED', 'The transport is closed.'))
      }
    },
  }
}
