import {
  EVENT_NAMES,
  eventChannel,
  METHOD_NAMES,
  methodChannel,
  type Dispatch,
  type Envelope,
} from '../../src/contract'
import type { Monitor } from '../../src/monitor/monitor'

/** The slice of Electron's ipcMain this module uses, so it is tested without Electron. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, params: unknown) => unknown,
  ): void
  removeHandler(channel: string): void
}

export interface WebContentsLike {
  isDestroyed(): boolean
  send(channel: string, payload: unknown): void
}

/**
 * One IPC handler per contract method: the sender is checked, then the dispatcher validates the
 * parameters and answers with an envelope (errors as data, never a rejected invoke).
 */
export function registerContractIpc(
  ipc: IpcMainLike,
  dispatch: Dispatch,
  isTrusted: (url: string | undefined) => boolean,
): () => void {
  for (const method of METHOD_NAMES) {
    ipc.handle(methodChannel(method), async (event, params): Promise<Envelope<unknown>> => {
      if (!isTrusted(event.senderFrame?.url)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'IPC from an unknown frame refused' },
        }
      }
      return dispatch(method, params)
    })
  }
  return () => {
    for (const method of METHOD_NAMES) ipc.removeHandler(methodChannel(method))
  }
}

/** Forwards every contract event of the monitor to the windows that are open. */
export function forwardEvents(
  monitor: Pick<Monitor, 'on'>,
  targets: () => WebContentsLike[],
): () => void {
  const unsubscribers = EVENT_NAMES.map((event) =>
    monitor.on(event, (payload) => {
      for (const wc of targets()) if (!wc.isDestroyed()) wc.send(eventChannel(event), payload)
    }),
  )
  return () => unsubscribers.forEach((u) => u())
}
