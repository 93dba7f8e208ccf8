import { describe, expect, it } from 'vitest'
import {
  createDispatcher,
  METHOD_NAMES,
  VigilError,
  type ContractMethods,
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

describe('createDispatcher', () => {
  it('passes valid parameters to the core and wraps the result', async () => {
    const dispatch = createDispatcher(fakeImpl())
    const env = await dispatch('querySeries', {
      sensorIds: ['pump.flow'],
      from: 10,
      to: 20,
      maxPoints: 100,
    })
    expect(env).toEqual({ ok: true, result: { from: 10, to: 20, series: [] } })
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
    const env = await dispatch('querySeries', { sensorIds: [], from: 20, to: 10, maxPoints: 1 })
    expect(called).toBe(false)
    expect(env.ok).toBe(false)
    if (env.ok) return
    expect(env.error.code).toBe('INVALID_PARAMS')
    expect(env.error.issues?.some((i) => i.startsWith('sensorIds'))).toBe(true)
    expect(env.error.issues?.some((i) => i.startsWith('maxPoints'))).toBe(true)
  })

  it('refuses extra fields and non-object parameters', async () => {
    const dispatch = createDispatcher(fakeImpl())
    const extra = await dispatch('listSensors', { sneaky: true })
    expect(extra.ok).toBe(false)
    const notObject = await dispatch('setDemoFault', 'valve-closing')
    expect(notObject.ok).toBe(false)
  })

  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    const env = await createDispatcher(fakeImpl())('dropTables', {})
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
      (err) => seen.push(err),
    )
    expect(await dispatch('setDemoFault', { fault: 'none' })).toEqual({
      ok: false,
      error: { code: 'NOT_AVAILABLE', message: 'no demo' },
    })
    expect(await dispatch('listSensors', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'disk on fire' },
    })
    expect(seen).toHaveLength(1)
  })
})
