import { VigilError, type Role, type UserAccount } from '../contract'
import type { AuditTrail } from '../audit/audit-trail'
import { toUserAccount, type AccountRow, type AccountStore } from './account-store'
import { lockDurationMs } from './lockout'
import { checkNewPassword, dummyHash, hashPassword, verifyPassword } from './password'

/** Who asks for a change and from where, for the audit trail. */
export interface Actor {
  /** A user name, or `console (<os user>)` for the command line. */
  name: string
  origin: string
}

const WRONG = 'Wrong user name or password.'

/**
 * Local user accounts: passwords (scrypt), roles, lockout after failed sign-ins, and the rule
 * that one engineer who can sign in always remains. Used by the hosts and by `vigil users`;
 * every change goes to the audit trail.
 */
export class Accounts {
  constructor(
    private readonly store: AccountStore,
    private readonly audit: AuditTrail,
    private readonly now: () => number,
  ) {}

  list(): UserAccount[] {
    const now = this.now()
    return this.store.all().map((a) => toUserAccount(a, now))
  }

  get(name: string): AccountRow | null {
    return this.store.get(name)
  }

  /** No engineer can sign in yet: the first-run set-up is still to be done. */
  setupRequired(): boolean {
    return this.store.engineersWithPassword() === 0
  }

  /**
   * Checks a sign-in. A wrong password counts towards a lock; a locked account is refused
   * without looking at the password. Every outcome is audited.
   */
  async verify(name: string, password: string, origin: string): Promise<AccountRow> {
    const account = this.store.get(name)
    const now = this.now()
    if (
      account?.lockedUntil !== null &&
      account?.lockedUntil !== undefined &&
      account.lockedUntil > now
    ) {
      this.audit.record({ user: account.name, action: 'sign-in-failed', note: 'locked', origin })
      const seconds = Math.ceil((account.lockedUntil - now) / 1000)
      throw new VigilError(
        'TOO_MANY_ATTEMPTS',
        `Too many failed sign-ins for ${account.name}: try again in ${seconds} s, or ask an engineer to unlock the account.`,
      )
    }
    const hash = account?.passwordHash ?? (await dummyHash())
    const ok = (await verifyPassword(password, hash)) && account?.passwordHash != null
    if (!account || !ok) {
      if (account) {
        const failures = account.failedAttempts + 1
        const lockMs = lockDurationMs(failures)
        this.store.recordFailure(account.name, failures, lockMs > 0 ? now + lockMs : null, now)
      }
      this.audit.record({
        user: account?.name ?? null,
        action: 'sign-in-failed',
        note: account
          ? account.passwordHash === null
            ? 'no password set'
            : 'wrong password'
          : `unknown user name (${name.length} characters)`,
        origin,
      })
      throw new VigilError('UNAUTHENTICATED', WRONG)
    }
    this.store.recordSignIn(account.name, now)
    return this.store.get(account.name) ?? account
  }

  /** First run: the first engineer (an existing account without a password may be claimed). */
  async createFirst(name: string, password: string, origin: string): Promise<AccountRow> {
    checkNewPassword(name, password)
    const hash = await hashPassword(password)
    return this.store.transaction(() => {
      if (!this.setupRequired())
        throw new VigilError(
          'NOT_AVAILABLE',
          'Vigil is already set up: an engineer account exists. Sign in instead.',
        )
      const existing = this.store.get(name)
      const t = this.now()
      if (existing) {
        this.store.setRole(existing.name, 'engineer', t)
        this.store.setPassword(existing.name, hash, t)
      } else this.store.insert(name, 'engineer', hash, t)
      // The set-up signs the new engineer in.
      this.store.recordSignIn(name, t)
      this.audit.record({
        user: name,
        action: 'first-account',
        target: `user:${name}`,
        after: { role: 'engineer' },
        origin,
      })
      return this.mustGet(name)
    })
  }

  /** Adds a user (a password is required) or changes an existing user's role (and password). */
  async save(actor: Actor, name: string, role: Role, password?: string): Promise<void> {
    if (password !== undefined) checkNewPassword(name, password)
    const hash = password === undefined ? null : await hashPassword(password)
    this.store.transaction(() => {
      const existing = this.store.get(name)
      const t = this.now()
      if (!existing) {
        if (hash === null)
          throw new VigilError('INVALID_PARAMS', `A new user needs a password.`, [
            'password: required for a new user',
          ])
        this.store.insert(name, role, hash, t)
      } else {
        if (existing.role === 'engineer' && role !== 'engineer') this.keepOneEngineer(existing.name)
        if (existing.role !== role) this.store.setRole(existing.name, role, t)
        if (hash !== null) this.store.setPassword(existing.name, hash, t)
      }
      this.audit.record({
        user: actor.name,
        action: 'user-saved',
        target: `user:${existing?.name ?? name}`,
        before: existing ? { role: existing.role } : null,
        after: { role, ...(hash !== null ? { password: 'set' } : {}) },
        origin: actor.origin,
      })
    })
  }

  /** An engineer sets another user's password (or the console does): the lock is lifted too. */
  async resetPassword(actor: Actor, name: string, password: string): Promise<void> {
    const account = this.mustGet(name)
    checkNewPassword(account.name, password)
    const hash = await hashPassword(password)
    this.store.transaction(() => {
      this.store.setPassword(account.name, hash, this.now())
      this.audit.record({
        user: actor.name,
        action: 'password-reset',
        target: `user:${account.name}`,
        origin: actor.origin,
      })
    })
  }

  /** A user changes their own password, proving they know the current one. */
  async changeOwn(name: string, current: string, next: string, origin: string): Promise<void> {
    const account = this.mustGet(name)
    if (!account.passwordHash || !(await verifyPassword(current, account.passwordHash)))
      throw new VigilError('INVALID_PARAMS', 'The current password is not right.', [
        'currentPassword: not right',
      ])
    checkNewPassword(account.name, next)
    if (current === next)
      throw new VigilError('INVALID_PARAMS', 'The new password must differ from the current one.', [
        'newPassword: same as the current one',
      ])
    const hash = await hashPassword(next)
    this.store.transaction(() => {
      this.store.setPassword(account.name, hash, this.now())
      this.audit.record({
        user: account.name,
        action: 'password-changed',
        target: `user:${account.name}`,
        origin,
      })
    })
  }

  unlock(actor: Actor, name: string): void {
    const account = this.mustGet(name)
    this.store.transaction(() => {
      this.store.recordFailure(account.name, 0, null, this.now())
      this.audit.record({
        user: actor.name,
        action: 'user-unlocked',
        target: `user:${account.name}`,
        before: { failedAttempts: account.failedAttempts, lockedUntil: account.lockedUntil },
        origin: actor.origin,
      })
    })
  }

  remove(actor: Actor, name: string): AccountRow {
    const account = this.mustGet(name)
    this.store.transaction(() => {
      if (account.role === 'engineer') this.keepOneEngineer(account.name)
      this.store.delete(account.name)
      this.audit.record({
        user: actor.name,
        action: 'user-deleted',
        target: `user:${account.name}`,
        before: { role: account.role },
        origin: actor.origin,
      })
    })
    return account
  }

  private mustGet(name: string): AccountRow {
    const account = this.store.get(name)
    if (!account) throw new VigilError('NOT_FOUND', `There is no user "${name}".`)
    return account
  }

  /** Someone must always be able to sign in as an engineer and manage the rest. */
  private keepOneEngineer(losing: string): void {
    const others = this.store
      .all()
      .filter(
        (u) =>
          u.role === 'engineer' &&
          u.passwordHash !== null &&
          u.name.toLowerCase() !== losing.toLowerCase(),
      )
    if (others.length === 0)
      throw new VigilError(
        'INVALID_PARAMS',
        `${losing} is the last engineer who can sign in; add another engineer first.`,
      )
  }
}
