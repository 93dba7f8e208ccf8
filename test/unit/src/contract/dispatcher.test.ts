import { describe, expect, it } from 'vitest'
import {
  createDispatcher,
  METHOD_NAMES,
  methodAccess,
  methods,
  ROLES,
  roleAllows,
  VigilError,
  type CallContext,
  type ContractMethods,
  type Role,
} from '../../../../src/contract'

function fakeImpl(overrides: Partial<ContractMethods> = {}): ContractMethods {
  const fail = () => Promise.reject(new Error('not used'))
  const unused = Object.fromEntries(
    METHOD_NAMES.map((m) => [m, fail]),
  ) as unknown as ContractMethods
  return {
    ...unused,
    listSensors: async () => [],
    querySeries: async (p) => ({ from: p.from, to: p.to, series: [] }),
    setDemoFault: async (p) => ({ fault: p.fault, since: p.fault === 'none' ? null : 1 }),
    ...overrides,
  }
}

const ctx = (role: Role | null): CallContext => ({
  caller: role ? { name: `a ${role}`, role } : null,
  token: null,
  desktop: false,
  origin: 'test',
})
const engineer = ctx('engineer')

describe('createDispatcher', () => {
  it('passes valid parameters and the caller to the core and wraps the result', async () => {
    let seen: CallContext | null = null
    const dispatch = createDispatcher(
      fakeImpl({
        querySeries: async (p, c) => {
          seen = c
          return { from: p.from, to: p.to, series: [] }
        },
      }),
    )
    const env = await dispatch(
      'querySeries',
      { sensorIds: ['pump.flow'], from: 10, to: 20, maxPoints: 100 },
      ctx('viewer'),
    )
    expect(env).toEqual({ ok: true, result: { from: 10, to: 20, series: [] } })
    expect(seen).toMatchObject({ caller: { name: 'a viewer', role: 'viewer' } })
  })

  it('refuses invalid parameters with the fields that are wrong, without calling the core', async () => {
    let called = false
    const dispatch = createDispatcher(
      fakeImpl({
        querySeries: async () => {
          called = true
          return { from: 0, to: 0, series: [] }
        },
      }),
    )
    const env = await dispatch(
      'querySeries',
      { sensorIds: [], from: 20, to: 10, maxPoints: 1 },
      engineer,
    )
    expect(called).toBe(false)
    expect(env.ok).toBe(false)
    if (env.ok) return
    expect(env.error.code).toBe('INVALID_PARAMS')
    expect(env.error.issues?.some((i) => i.startsWith('sensorIds'))).toBe(true)
    expect(env.error.issues?.some((i) => i.startsWith('maxPoints'))).toBe(true)
  })

  it('refuses extra fields (a `user` in the payload among them) and non-object parameters', async () => {
    const dispatch = createDispatcher(fakeImpl())
    expect((await dispatch('listSensors', { sneaky: true }, engineer)).ok).toBe(false)
    expect((await dispatch('setDemoFault', 'valve-closing', engineer)).ok).toBe(false)
    const claimed = await dispatch(
      'acknowledgeAlarms',
      { ids: ['x'], user: 'engineer' },
      ctx('operator'),
    )
    expect(claimed).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } })
  })

  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    const env = await createDispatcher(fakeImpl())('dropTables', {}, engineer)
    expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('turns a VigilError into its code and an unexpected error into INTERNAL', async () => {
    const seen: unknown[] = []
    const dispatch = createDispatcher(
      fakeImpl({
        setDemoFault: async () => {
          throw new VigilError('NOT_AVAILABLE', 'no demo')
        },
        listSensors: async () => {
          throw new Error('disk on fire')
        },
      }),
      { onInternalError: (err) => seen.push(err) },
    )
    expect(await dispatch('setDemoFault', { fault: 'none' }, engineer)).toEqual({
      ok: false,
      error: { code: 'NOT_AVAILABLE', message: 'no demo' },
    })
    expect(await dispatch('listSensors', {}, engineer)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'disk on fire' },
    })
    expect(seen).toHaveLength(1)
  })
})

describe('roles, for every method of the contract', () => {
  it('every method declares public or a role', () => {
    for (const m of METHOD_NAMES) expect(['public', ...ROLES]).toContain(methodAccess(m))
    expect(Object.keys(methods).sort()).toEqual([...METHOD_NAMES].sort())
  })

  it('only signing in, signing out, the set-up and the session state are public', () => {
    const open = METHOD_NAMES.filter((m) => methodAccess(m) === 'public').sort()
    expect(open).toEqual(['getSession', 'setUpFirstAccount', 'signIn', 'signOut'])
  })

  it('refuses a caller below the role before reading the parameters, and never calls the core', async () => {
    const calls: string[] = []
    const spy = Object.fromEntries(
      METHOD_NAMES.map((m) => [m, async () => void calls.push(m)]),
    ) as unknown as ContractMethods
    const dispatch = createDispatcher(spy, { signedOutReason: () => 'set up first' })
    for (const method of METHOD_NAMES) {
      const needs = methodAccess(method)
      for (const role of [null, ...ROLES]) {
        // Parameters the schema would refuse: the role check must come first.
        const env = await dispatch(method, { junk: 1 }, ctx(role))
        if (needs === 'public') continue
        const allowed = role !== null && roleAllows(role, needs)
        if (allowed) {
          expect(env, `${method} as ${role}`).toMatchObject({ error: { code: 'INVALID_PARAMS' } })
          continue
        }
        const code = role === null ? 'UNAUTHENTICATED' : 'FORBIDDEN'
        expect(env, `${method} as ${role ?? 'anonymous'}`).toMatchObject({
          ok: false,
          error: { code },
        })
        if (role === null && !env.ok) expect(env.error.message).toBe('set up first')
      }
    }
    expect(calls).toEqual([])
  })
})
