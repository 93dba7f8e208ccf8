import {
  EVENT_NAMES,
  eventChannel,
  METHOD_NAMES,
  methodChannel,
  SESSION_BEGINNING_METHODS,
  SESSION_ENDING_METHODS,
  type Dispatch,
  type Envelope,
  type EventName,
  type MethodName,
} from '../../src/contract'
import type { Sessions } from '../../src/auth/sessions'
import type { Monitor } from '../../src/monitor/monitor'

/** What a handler learns of the message: the frame that sent it and its web contents. */
export interface IpcEventLike {
  senderFrame: { url: string } | null
  sender: { id: number }
}

/** The slice of Electron's ipcMain this module uses, so it is tested without Electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, params: unknown) => unknown): void
  removeHandler(channel: string): void
}

export interface WebContentsLike {
  id: number
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

export interface ContractIpc {
  /** Whether a window has a live session (events go only to those). */
  isSignedIn(webContentsId: number): boolean
  /** A window closed: its session ends with it. */
  forget(webContentsId: number): void
  unregister(): void
}

const begins = (m: MethodName) => SESSION_BEGINNING_METHODS.includes(m)
const ends = (m: MethodName) => SESSION_ENDING_METHODS.includes(m)

/**
 * One IPC handler per contract method: the sender is checked, the call gets the session this
 * main process keeps for that window (never a name from the page), then the dispatcher checks
 * the role, validates the parameters and answers with an envelope (errors as data, never a
 * rejected invoke). A sign-in's token stays here: the page never sees it.
 */
export function registerContractIpc(
  ipc: IpcMainLike,
  dispatch: Dispatch,
  isTrusted: (url: string | undefined) => boolean,
  sessions: Sessions,
  windows: () => WebContentsLike[] = () => [],
): ContractIpc {
  const tokens = new Map<number, string>()
  for (const method of METHOD_NAMES) {
    ipc.handle(methodChannel(method), async (event, params): Promise<Envelope<unknown>> => {
      if (!isTrusted(event.senderFrame?.url)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'IPC from an unknown frame refused' },
        }
      }
      const id = event.sender.id
      const token = tokens.get(id) ?? null
      const env = await dispatch(method, params, {
        caller: sessions.resolve(token),
        token,
        desktop: true,
        origin: 'desktop',
      })
      if (!env.ok) return env
      if (begins(method)) {
        const { token: fresh, ...rest } = env.result as { token?: string }
        if (fresh) tokens.set(id, fresh)
        return { ok: true, result: rest }
      }
      if (ends(method)) tokens.delete(id)
      return env
    })
  }
  // A session that ends by itself (idle, expired, a new password) tells its window at once.
  const stopListening = sessions.onEnded((token, reason) => {
    for (const [id, t] of tokens) {
      if (t !== token) continue
      tokens.delete(id)
      for (const wc of windows())
        if (wc.id === id && !wc.isDestroyed()) wc.send(eventChannel('session'), { ended: reason })
    }
  })
  return {
    isSignedIn: (id) => sessions.isOpen(tokens.get(id) ?? null),
    forget: (id) => {
      sessions.end(tokens.get(id) ?? null, 'signed-out')
      tokens.delete(id)
    },
    unregister: () => {
      stopListening()
      for (const method of METHOD_NAMES) ipc.removeHandler(methodChannel(method))
    },
  }
}

/**
 * Forwards every contract event of the monitor to the windows that are open (and, through
 * `targets`, signed in). The `session` event goes to one window only, from `registerContractIpc`.
 */
export function forwardEvents(
  monitor: Pick<Monitor, 'on'>,
  targets: () => WebContentsLike[],
): () => void {
  const broadcast = EVENT_NAMES.filter((e): e is Exclude<EventName, 'session'> => e !== 'session')
  const unsubscribers = broadcast.map((event) =>
    monitor.on(event, (payload) => {
      for (const wc of targets()) if (!wc.isDestroyed()) wc.send(eventChannel(event), payload)
    }),
  )
  return () => unsubscribers.forEach((u) => u())
}
