import { describe, expect, it } from 'vitest'
import type { SecuritySettings } from '../../../../src/contract'
import type { AccountRow } from '../../../../src/auth/account-store'
import { MAX_SESSIONS_PER_USER, Sessions } from '../../../../src/auth/sessions'

const MIN = 60_000

function setup(
  settings: SecuritySettings = { idleMinutes: 15, sessionHours: 12, extraFileFolders: [] },
) {
  let now = 0
  const accounts = new Map<string, AccountRow>()
  const add = (name: string, role: AccountRow['role']) => {
    const a: AccountRow = {
      name,
      role,
      passwordHash: 'h',
      credentialVersion: 1,
      failedAttempts: 0,
      lockedUntil: null,
      lastSignInAt: null,
      createdAt: 0,
    }
    accounts.set(name.toLowerCase(), a)
    return a
  }
  const sessions = new Sessions({
    now: () => now,
    account: (n) => accounts.get(n.toLowerCase()) ?? null,
    settings: () => settings,
  })
  const ended: string[] = []
  sessions.onEnded((_, reason) => ended.push(reason))
  return { sessions, add, accounts, ended, advance: (ms: number) => (now += ms) }
}

describe('sessions', () => {
  it('turn a token into the caller, with the role read from the account at each call', () => {
    const { sessions, add } = setup()
    const { token, info } = sessions.begin(add('Olga', 'operator'))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(info).toEqual({
      user: 'Olga',
      role: 'operator',
      expiresAt: 12 * 60 * MIN,
      idleSignOutMs: 15 * MIN,
    })
    expect(sessions.resolve(token)).toEqual({ name: 'Olga', role: 'operator' })
    expect(sessions.resolve('forged')).toBeNull()
    expect(sessions.resolve(null)).toBeNull()
  })

  it('end after the idle time without calls, and at the session limit', () => {
    const { sessions, add, advance, ended } = setup()
    const olga = add('Olga', 'operator')
    const idle = sessions.begin(olga).token
    const busy = sessions.begin(olga).token
    for (let i = 0; i < 4; i++) {
      advance(5 * MIN)
      expect(sessions.resolve(busy)).not.toBeNull()
    }
    expect(sessions.resolve(idle)).toBeNull()
    for (let i = 0; i < 12 * 12; i++) {
      advance(5 * MIN)
      sessions.resolve(busy)
    }
    expect(sessions.resolve(busy)).toBeNull()
    expect(ended).toEqual(['idle', 'expired'])
  })

  it("keep a viewer's wall display signed in, without idle or time limit", () => {
    const { sessions, add, advance } = setup()
    const { token, info } = sessions.begin(add('Wall', 'viewer'))
    expect(info).toMatchObject({ expiresAt: null, idleSignOutMs: null })
    advance(30 * 24 * 60 * MIN)
    expect(sessions.resolve(token)).toEqual({ name: 'Wall', role: 'viewer' })
  })

  it('never survive a password change, a removed account or a new role', () => {
    const { sessions, add, accounts, ended } = setup()
    const olga = add('Olga', 'operator')
    const eric = add('Eric', 'engineer')
    const carl = add('Carl', 'operator')
    const t1 = sessions.begin(olga).token
    const t2 = sessions.begin(eric).token
    const t3 = sessions.begin(carl).token
    olga.credentialVersion++
    accounts.delete('eric')
    carl.role = 'engineer'
    expect(sessions.resolve(t1)).toBeNull()
    expect(sessions.sweep()).toEqual([
      { name: 'Eric', reason: 'user-removed' },
      { name: 'Carl', reason: 'role-changed' },
    ])
    expect(sessions.resolve(t2)).toBeNull()
    expect(sessions.resolve(t3)).toBeNull()
    expect(ended).toEqual(['password-changed', 'user-removed', 'role-changed'])
  })

  it('end on sign-out, one or all of a user', () => {
    const { sessions, add } = setup()
    const olga = add('Olga', 'operator')
    const a = sessions.begin(olga).token
    const b = sessions.begin(olga).token
    expect(sessions.end(a, 'signed-out')).toBe(true)
    expect(sessions.end(a, 'signed-out')).toBe(false)
    expect(sessions.endAllFor('OLGA', 'password-changed')).toBe(1)
    expect(sessions.resolve(b)).toBeNull()
    expect(sessions.size).toBe(0)
  })

  it('take the idle time from the settings, 0 meaning never', () => {
    const { sessions, add, advance } = setup({
      idleMinutes: 0,
      sessionHours: 1,
      extraFileFolders: [],
    })
    const { token, info } = sessions.begin(add('Eric', 'engineer'))
    expect(info.idleSignOutMs).toBeNull()
    advance(59 * MIN)
    expect(sessions.resolve(token)).not.toBeNull()
    advance(MIN)
    expect(sessions.resolve(token)).toBeNull()
  })
})

describe('sessions per user', () => {
  it('are capped: the oldest ends when a new one would exceed the limit', () => {
    const { sessions, add, ended } = setup()
    const wall = add('Wall', 'viewer')
    const first = sessions.begin(wall).token
    for (let i = 1; i < MAX_SESSIONS_PER_USER; i++) sessions.begin(wall)
    expect(sessions.size).toBe(MAX_SESSIONS_PER_USER)
    sessions.begin(wall)
    expect(sessions.size).toBe(MAX_SESSIONS_PER_USER)
    expect(sessions.resolve(first)).toBeNull()
    expect(ended).toEqual(['replaced'])
  })
})
