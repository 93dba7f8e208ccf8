import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createDispatcher,
  METHOD_NAMES,
  methodAccess,
  methodChannel,
  roleAllows,
  type Envelope,
  type MethodName,
  type Role,
} from '../../../src/contract'
import { startServer, type RunningServer } from '../../../src/host/server'
import { silentLogger } from '../../../src/log/logger'
import { Monitor } from '../../../src/monitor/monitor'
import { registerContractIpc, type IpcMainLike } from '../../../electron/main/contract-ipc'
import { addAccount, TEST_PASSWORD } from '../../helpers/callers'
import { makeTempDir } from '../../helpers/temp-dir'
import { signInWeb } from '../../helpers/web-session'

type Handler = Parameters<IpcMainLike['handle']>[1]
type Who = 'anonymous' | Role

const PAGE = 'file:///app/renderer/index.html'
const WINDOW: Record<Who, number> = { anonymous: 1, viewer: 2, operator: 3, engineer: 4 }

let tmp: ReturnType<typeof makeTempDir>
let monitor: Monitor
let server: RunningServer
const tokens = new Map<Who, string>()
const handlers = new Map<string, Handler>()

/** A call as the desktop window of `who` makes it, through the main process's handlers. */
async function ipcCall(who: Who, method: string, params: unknown): Promise<Envelope<unknown>> {
  const handler = handlers.get(methodChannel(method as MethodName))
  if (!handler) throw new Error(`no handler for ${method}`)
  return (await handler(
    { senderFrame: { url: PAGE }, sender: { id: WINDOW[who] } },
    params,
  )) as Envelope<unknown>
}

async function webCall(who: Who, method: string): Promise<number> {
  const token = tokens.get(who)
  const res = await fetch(`${server.url}/api/call/${method}`, {
    method: 'POST',
    // Parameters no method accepts: a refusal must come before they are even read.
    body: JSON.stringify({ notAParameter: true }),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
  await res.arrayBuffer()
  return res.status
}

beforeAll(async () => {
  tmp = makeTempDir()
  const ui = join(tmp.dir, 'ui')
  mkdirSync(ui)
  writeFileSync(join(ui, 'index.html'), '<!doctype html>')
  monitor = await Monitor.create({
    dataDir: join(tmp.dir, 'data'),
    host: 'server',
    demo: true,
    backend: 'skip',
  })
  server = await startServer({
    monitor,
    host: '127.0.0.1',
    port: 0,
    staticDir: ui,
    logger: silentLogger,
  })
  registerContractIpc(
    {
      handle: (channel, h) => void handlers.set(channel, h),
      removeHandler: (channel) => void handlers.delete(channel),
    },
    createDispatcher(monitor.methods),
    (url) => url === PAGE,
    monitor.auth.sessions,
  )
  for (const role of ['viewer', 'operator', 'engineer'] as const) {
    await addAccount(monitor, `a-${role}`, role)
    tokens.set(role, (await signInWeb(server.url, `a-${role}`)).token)
    const env = await ipcCall(role, 'signIn', { name: `a-${role}`, password: TEST_PASSWORD })
    expect(env.ok).toBe(true)
  }
}, 60_000)

afterAll(async () => {
  await server.close()
  await monitor.close()
  tmp.remove()
})

/** What each caller must get for a method: allowed, or refused as signed out or too low. */
function expected(method: MethodName, who: Who): 'allowed' | 'unauthenticated' | 'forbidden' {
  const needs = methodAccess(method)
  if (needs === 'public') return 'allowed'
  if (who === 'anonymous') return 'unauthenticated'
  return roleAllows(who, needs) ? 'allowed' : 'forbidden'
}

describe('who may call what, for every method of the contract, from both hosts', () => {
  it('the web host: 401 signed out, 403 a viewer for every change, 403 an operator for engineer work', async () => {
    const got: string[] = []
    const want: string[] = []
    for (const method of METHOD_NAMES) {
      for (const who of ['anonymous', 'viewer', 'operator', 'engineer'] as const) {
        const e = expected(method, who)
        const status = await webCall(who, method)
        // An allowed call reaches the parameter check (400): the role check let it through.
        const seen = status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'allowed'
        got.push(`${method} ${who}: ${seen}`)
        want.push(`${method} ${who}: ${e}`)
        if (e === 'allowed') expect(status, `${method} as ${who}`).toBe(400)
      }
    }
    expect(got).toEqual(want)
  })

  it('the desktop host (IPC through the main process): the same, with the session it keeps', async () => {
    const got: string[] = []
    const want: string[] = []
    for (const method of METHOD_NAMES) {
      for (const who of ['anonymous', 'viewer', 'operator', 'engineer'] as const) {
        const env = await ipcCall(who, method, { notAParameter: true })
        const code = env.ok ? 'OK' : env.error.code
        const seen =
          code === 'UNAUTHENTICATED'
            ? 'unauthenticated'
            : code === 'FORBIDDEN'
              ? 'forbidden'
              : 'allowed'
        got.push(`${method} ${who}: ${seen}`)
        want.push(`${method} ${who}: ${expected(method, who)}`)
        if (expected(method, who) === 'allowed')
          expect(code, `${method} as ${who}`).toBe('INVALID_PARAMS')
      }
    }
    expect(got).toEqual(want)
  })

  it('every change needs at least an operator, except changing your own password', () => {
    // The methods a viewer may call: reads, and the session's own business.
    const viewerMay = METHOD_NAMES.filter((m) => methodAccess(m) === 'viewer')
    const reads = viewerMay.filter((m) => /^(get|list|query|explain)/.test(m))
    expect(viewerMay.filter((m) => !reads.includes(m))).toEqual(['changePassword'])
    // The operator's own work: alarm handling (and the demo plant); everything else is an engineer's.
    expect(METHOD_NAMES.filter((m) => methodAccess(m) === 'operator')).toEqual([
      'setDemoFault',
      'acknowledgeAlarms',
      'shelveAlarm',
      'unshelveAlarm',
    ])
  })
})
