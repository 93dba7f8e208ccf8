import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { auditQuerySchema } from '../../../../src/contract'
import { Accounts } from '../../../../src/auth/accounts'
import { DB_FILE_NAME, Historian } from '../../../../src/historian/historian'
import { MIGRATIONS } from '../../../../src/historian/migrations'
import { makeTempDir } from '../../../helpers/temp-dir'

let tmp: ReturnType<typeof makeTempDir>
let h: Historian
let now = 1_000_000
let accounts: Accounts
const actor = { name: 'console (root)', origin: 'console' }

beforeEach(() => {
  tmp = makeTempDir()
  now = 1_000_000
  h = new Historian(tmp.dir, { now: () => now })
  accounts = new Accounts(h.accountStore, h.auditTrail, () => now)
})
afterEach(() => {
  h.close()
  tmp.remove()
})

const audit = () =>
  h.auditTrail
    .query(auditQuerySchema.parse({ from: 0, to: 2 ** 45 }))
    .entries.reverse()
    .map((e) => `${e.action}:${e.user ?? '-'}${e.note ? `:${e.note}` : ''}`)

describe('accounts', () => {
  it('start empty: the first-run set-up is due until an engineer can sign in', async () => {
    expect(accounts.list()).toEqual([])
    expect(accounts.setupRequired()).toBe(true)
    await accounts.save(actor, 'Olga', 'operator', 'night shift 42')
    expect(accounts.setupRequired()).toBe(true)
    await accounts.createFirst('Eric', 'first engineer', 'desktop')
    expect(accounts.setupRequired()).toBe(false)
    await expect(accounts.createFirst('Mallory', 'second try!', 'x')).rejects.toThrow(
      /already set up/,
    )
    expect(accounts.list().map((u) => [u.name, u.role, u.hasPassword])).toEqual([
      ['Eric', 'engineer', true],
      ['Olga', 'operator', true],
    ])
  })

  it('signs in with the right password, names compared without regard to case', async () => {
    await accounts.save(actor, 'Olga', 'operator', 'night shift 42')
    now += 5000
    const a = await accounts.verify('OLGA', 'night shift 42', '10.0.0.7')
    expect(a).toMatchObject({ name: 'Olga', role: 'operator', lastSignInAt: now })
    await expect(accounts.verify('olga', 'night shift 43', '10.0.0.7')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Wrong user name or password.',
    })
    // An unknown name gets the same answer (and costs as long).
    await expect(accounts.verify('nobody', 'whatever', '10.0.0.7')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Wrong user name or password.',
    })
    expect(audit()).toEqual([
      'user-saved:console (root)',
      'sign-in-failed:Olga:wrong password',
      'sign-in-failed:-:unknown user name (6 characters)',
    ])
  })

  it('locks an account after five failures in a row, with back-off, until unlocked or a reset', async () => {
    await accounts.save(actor, 'Olga', 'operator', 'night shift 42')
    for (let i = 0; i < 5; i++)
      await expect(accounts.verify('olga', 'guess', 'x')).rejects.toThrow()
    // Locked: even the right password is refused, and says for how long.
    await expect(accounts.verify('olga', 'night shift 42', 'x')).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
      message: expect.stringMatching(/try again in 30 s/),
    })
    expect(accounts.list()[0]).toMatchObject({ failedAttempts: 5, lockedUntil: now + 30_000 })
    now += 30_000
    await expect(accounts.verify('olga', 'guess', 'x')).rejects.toThrow()
    expect(accounts.list()[0]?.lockedUntil).toBe(now + 60_000)
    accounts.unlock({ name: 'eric', origin: 'x' }, 'olga')
    expect((await accounts.verify('olga', 'night shift 42', 'x')).failedAttempts).toBe(0)
  })

  it('changes and resets passwords, bumping the credential version that ends sessions', async () => {
    await accounts.save(actor, 'Olga', 'operator', 'night shift 42')
    const v1 = accounts.get('olga')?.credentialVersion ?? 0
    await expect(accounts.changeOwn('olga', 'wrong', 'day shift 42', 'x')).rejects.toThrow(
      /current password is not right/,
    )
    await accounts.changeOwn('olga', 'night shift 42', 'day shift 42', 'x')
    expect(accounts.get('olga')?.credentialVersion).toBe(v1 + 1)
    await accounts.resetPassword(actor, 'olga', 'reset by eric')
    expect(accounts.get('olga')?.credentialVersion).toBe(v1 + 2)
    expect((await accounts.verify('olga', 'reset by eric', 'x')).name).toBe('Olga')
  })

  it('always keeps one engineer who can sign in', async () => {
    await accounts.createFirst('Eric', 'first engineer', 'desktop')
    await expect(accounts.save(actor, 'eric', 'operator')).rejects.toThrow(/last engineer/)
    expect(() => accounts.remove(actor, 'eric')).toThrow(/last engineer/)
    await accounts.save(actor, 'Erin', 'engineer', 'second engineer')
    accounts.remove(actor, 'eric')
    expect(accounts.list().map((u) => u.name)).toEqual(['Erin'])
    await expect(accounts.save(actor, 'newbie', 'viewer')).rejects.toThrow(/needs a password/)
  })
})

describe('the accounts migration (schema 6)', () => {
  it('drops the two built-in users without password and keeps the ones an engineer added, without one', () => {
    h.close()
    tmp.remove()
    tmp = makeTempDir()
    const old = new Database(join(tmp.dir, DB_FILE_NAME))
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) old.exec(m.sql)
    old.prepare("INSERT INTO users (name, role, created_at) VALUES ('Li Wei', 'operator', 5)").run()
    old.pragma('user_version = 5')
    old.close()
    h = new Historian(tmp.dir, { now: () => now })
    accounts = new Accounts(h.accountStore, h.auditTrail, () => now)
    expect(accounts.list()).toEqual([
      {
        name: 'Li Wei',
        role: 'operator',
        hasPassword: false,
        failedAttempts: 0,
        lockedUntil: null,
        lastSignInAt: null,
        createdAt: 5,
      },
    ])
    // Without a password nobody can sign in as them, and the set-up is due.
    expect(accounts.setupRequired()).toBe(true)
  })

  it('keeps the audit trail append-only', async () => {
    await accounts.save(actor, 'Olga', 'operator', 'night shift 42')
    const db = new Database(join(tmp.dir, DB_FILE_NAME))
    try {
      expect(() => db.prepare('DELETE FROM audit_journal').run()).toThrow(/append-only/)
      expect(() => db.prepare("UPDATE audit_journal SET user = 'x'").run()).toThrow(/append-only/)
    } finally {
      db.close()
    }
  })
})
