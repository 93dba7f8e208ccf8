import { describe, expect, it } from 'vitest'
import { lockDurationMs } from '../../../../src/auth/lockout'
import { checkNewPassword, hashPassword, verifyPassword } from '../../../../src/auth/password'

describe('passwords', () => {
  it('are stored as salted scrypt hashes that only the right password matches', async () => {
    const a = await hashPassword('pump station 7')
    const b = await hashPassword('pump station 7')
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(a).not.toBe(b) // a fresh salt each time
    expect(a).not.toContain('pump station 7')
    expect(await verifyPassword('pump station 7', a)).toBe(true)
    expect(await verifyPassword('pump station 8', a)).toBe(false)
    expect(await verifyPassword('pump station 7', 'plain text')).toBe(false)
  })

  it('refuses new passwords that are too short or equal to the name', () => {
    expect(() => checkNewPassword('li', 'short')).toThrow(/at least 8 characters/)
    expect(() => checkNewPassword('operator1', 'Operator1')).toThrow(/must not be the user name/)
    expect(() => checkNewPassword('li', 'long enough phrase')).not.toThrow()
  })
})

describe('lockout', () => {
  it('allows a few typos, then locks for 30 s, doubling, at most 15 minutes', () => {
    expect([1, 2, 3, 4].map(lockDurationMs)).toEqual([0, 0, 0, 0])
    expect(lockDurationMs(5)).toBe(30_000)
    expect(lockDurationMs(6)).toBe(60_000)
    expect(lockDurationMs(7)).toBe(120_000)
    expect(lockDurationMs(50)).toBe(15 * 60_000)
  })
})
