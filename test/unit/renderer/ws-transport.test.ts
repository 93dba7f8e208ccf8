import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TransportError } from '../../../renderer/src/api/api-error'
import {
  createWsTransport,
  type SocketHandlers,
  type WsTransport,
} from '../../../renderer/src/api/ws-transport'

/** A socket the test drives by hand: what was sent, and open/message/close on demand. */
class FakeSocket {
  sent: unknown[] = []
  closed = false
  constructor(readonly handlers: SocketHandlers) {}
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close() {
    this.closed = true
  }
  reply(id: number, result: unknown) {
    this.handlers.message(JSON.stringify({ type: 'result', id, ok: true, result }))
  }
  event(event: string, data: unknown) {
    this.handlers.message(JSON.stringify({ type: 'event', event, data }))
  }
}

let sockets: FakeSocket[]
let transport: WsTransport
const latest = () => sockets[sockets.length - 1]

beforeEach(() => {
  vi.useFakeTimers()
  sockets = []
  transport = createWsTransport({
    url: 'ws://host/api/ws',
    createSocket: (_url, handlers) => {
      const socket = new FakeSocket(handlers)
      sockets.push(socket)
      return socket
    },
    random: () => 1,
  })
})

afterEach(() => {
  transport.close()
  vi.useRealTimers()
})

describe('WebSocket transport', () => {
  it('queues calls until the socket opens and matches replies by id', async () => {
    const status = transport.call('getStatus', {})
    const sensors = transport.call('listSensors', {})
    expect(latest().sent).toEqual([])
    latest().handlers.open()
    expect(transport.state).toBe('open')
    const [a, b] = latest().sent as { id: number; method: string }[]
    expect([a.method, b.method]).toEqual(['getStatus', 'listSensors'])
    latest().reply(b.id, ['s1'])
    latest().reply(a.id, { version: 'x' })
    await expect(status).resolves.toEqual({ ok: true, result: { version: 'x' } })
    await expect(sensors).resolves.toEqual({ ok: true, result: ['s1'] })
  })

  it('passes error envelopes through as data', async () => {
    latest().handlers.open()
    const call = transport.call('setDemoFault', { fault: 'none' })
    const { id } = latest().sent[0] as { id: number }
    const error = { code: 'NOT_AVAILABLE', message: 'no demo' }
    latest().handlers.message(JSON.stringify({ type: 'result', id, ok: false, error }))
    await expect(call).resolves.toEqual({ ok: false, error })
  })

  it('fails calls in flight when the link drops, then reconnects with backoff', async () => {
    const states: string[] = []
    transport.onStateChange((s) => states.push(s))
    latest().handlers.open()
    const call = transport.call('listSensors', {})
    latest().handlers.close()
    await expect(call).rejects.toMatchObject({ code: 'DISCONNECTED' })
    await expect(call).rejects.toBeInstanceOf(TransportError)
    expect(transport.state).toBe('reconnecting')
    expect(sockets).toHaveLength(1)
    vi.advanceTimersByTime(500)
    expect(sockets).toHaveLength(2)
    latest().handlers.close()
    vi.advanceTimersByTime(999)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets).toHaveLength(3)
    latest().handlers.open()
    expect(states).toEqual(['open', 'reconnecting', 'open'])
  })

  it('keeps event listeners across reconnects, until unsubscribed', () => {
    const seen: unknown[] = []
    const off = transport.on('status', (s) => seen.push(s))
    latest().handlers.open()
    latest().event('status', 1)
    latest().handlers.close()
    vi.advanceTimersByTime(500)
    latest().handlers.open()
    latest().event('status', 2)
    latest().event('samples', 3)
    off()
    latest().event('status', 4)
    expect(seen).toEqual([1, 2])
  })

  it('treats a silent link as dropped and ignores the old socket afterwards', () => {
    const seen: unknown[] = []
    transport.on('status', (s) => seen.push(s))
    latest().handlers.open()
    const old = latest()
    vi.advanceTimersByTime(15_000)
    expect(old.closed).toBe(true)
    expect(transport.state).toBe('reconnecting')
    old.event('status', 'late')
    expect(seen).toEqual([])
  })

  it('gives up on a handshake that hangs and tries again', () => {
    const first = latest()
    vi.advanceTimersByTime(15_000)
    expect(first.closed).toBe(true)
    expect(transport.state).toBe('reconnecting')
    vi.advanceTimersByTime(500)
    expect(sockets).toHaveLength(2)
  })

  it('times out a call that waits too long for a connection', async () => {
    const call = transport.call('getStatus', {})
    vi.advanceTimersByTime(30_000)
    await expect(call).rejects.toMatchObject({ code: 'TIMEOUT' })
  })

  it('stops, without reconnecting, when the host ends the session, and resumes on a new one', async () => {
    const states: string[] = []
    transport.onStateChange((s) => states.push(s))
    const ended: unknown[] = []
    transport.on('session', (e) => ended.push(e))
    latest().handlers.open()
    const inFlight = transport.call('listSensors', {})
    latest().event('session', { ended: 'idle' })
    latest().handlers.close(4401)
    await expect(inFlight).rejects.toMatchObject({ code: 'DISCONNECTED' })
    expect(transport.state).toBe('signed-out')
    expect(ended).toEqual([{ ended: 'idle' }])
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
    // Signed out, a call is refused at once, as the host would refuse it.
    await expect(transport.call('listSensors', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    })
    transport.resume()
    expect(sockets).toHaveLength(2)
    latest().handlers.open()
    expect(states).toEqual(['open', 'signed-out', 'connecting', 'open'])
  })

  it('waits for a session when told to, and opens a new socket for a new session', () => {
    const waiting = createWsTransport({
      url: 'ws://host/api/ws',
      connectNow: false,
      createSocket: (_url, handlers) => {
        const socket = new FakeSocket(handlers)
        sockets.push(socket)
        return socket
      },
    })
    const before = sockets.length
    expect(waiting.state).toBe('signed-out')
    waiting.resume()
    expect(sockets).toHaveLength(before + 1)
    latest().handlers.open()
    const first = latest()
    // Another user signed in over the same screen: the old socket belongs to the old session.
    waiting.resume()
    expect(first.closed).toBe(true)
    expect(sockets).toHaveLength(before + 2)
    waiting.pause()
    expect(latest().closed).toBe(true)
    expect(waiting.state).toBe('signed-out')
    waiting.close()
  })
})
