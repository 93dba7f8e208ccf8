import { randomBytes, timingSafeEqual } from 'node:crypto'
import {
  VigilError,
  type CallContext,
  type ParsedParams,
  type Result,
  type SecurityInfo,
  type SecuritySettings,
  type SignedInContext,
  type SignInResult,
} from '../contract'
import type { AuditTrail } from '../audit/audit-trail'
import { checkFolder } from '../ingest/file/file-access'
import type { Logger } from '../log/logger'
import type { Clock, Timer } from '../platform/clock'
import type { AccountRow, AccountStore } from './account-store'
import { Accounts, type Actor } from './accounts'
import { Sessions, type EndReason } from './sessions'

export interface AuthServiceOptions {
  store: AccountStore
  audit: AuditTrail
  clock: Clock
  log: Logger
  /** Every folder files may be read from, given the extra ones in the settings. */
  fileFolders: (extra: readonly string[]) => string[]
  /** How often ended, expired and idle sessions are swept. */
  sweepMs?: number
}

const SWEEP_MS = 10_000

/**
 * Signing in and out, the first-run set-up, users and the security settings, as the contract
 * offers them. The hosts use `sessions` to turn a token into a caller.
 */
export class AuthService {
  readonly accounts: Accounts
  readonly sessions: Sessions
  private setupToken: string | null = null
  private timer: Timer | null = null

  constructor(private readonly o: AuthServiceOptions) {
    const now = () => o.clock.now()
    this.accounts = new Accounts(o.store, o.audit, now)
    this.sessions = new Sessions({
      now,
      account: (name) => o.store.get(name),
      settings: () => o.store.securitySettings(),
    })
  }

  start(): void {
    this.timer = this.o.clock.setInterval(() => this.sweep(), this.o.sweepMs ?? SWEEP_MS)
  }

  stop(): void {
    if (this.timer) this.o.clock.clearInterval(this.timer)
    this.timer = null
  }

  /**
   * The one-time token of the first-run set-up link, while no engineer can sign in; null once
   * set up. Made on first request and kept until used.
   */
  firstRunToken(): string | null {
    if (!this.accounts.setupRequired()) {
      this.setupToken = null
      return null
    }
    this.setupToken ??= randomBytes(24).toString('base64url')
    return this.setupToken
  }

  /** Why a call without a session was refused. */
  signedOutReason(): string | null {
    return this.accounts.setupRequired()
      ? 'Vigil has no engineer account yet: finish the first-run set-up (the link vigil serve printed, or vigil users add NAME --role engineer).'
      : null
  }

  private sweep(): void {
    for (const { name, reason } of this.sessions.sweep())
      this.o.audit.record({ user: name, action: 'session-ended', note: reason, origin: null })
  }

  // ---- sessions --------------------------------------------------------------------------

  async getSession(_: ParsedParams<'getSession'>, ctx: CallContext): Promise<Result<'getSession'>> {
    const setupRequired = this.accounts.setupRequired()
    return {
      setupRequired,
      setupNeedsToken: setupRequired && !ctx.desktop,
      session: this.sessions.info(ctx.token),
    }
  }

  async signIn(p: ParsedParams<'signIn'>, ctx: CallContext): Promise<SignInResult> {
    const account = await this.accounts.verify(p.name, p.password, ctx.origin)
    return this.begin(account, ctx)
  }

  async signOut(_: ParsedParams<'signOut'>, ctx: CallContext): Promise<Result<'signOut'>> {
    const who = this.sessions.info(ctx.token)
    const signedOut = this.sessions.end(ctx.token, 'signed-out')
    if (signedOut && who)
      this.o.audit.record({ user: who.user, action: 'sign-out', origin: ctx.origin })
    return { signedOut }
  }

  async setUpFirstAccount(
    p: ParsedParams<'setUpFirstAccount'>,
    ctx: CallContext,
  ): Promise<SignInResult> {
    if (!ctx.desktop && !this.tokenMatches(p.token))
      throw new VigilError(
        'FORBIDDEN',
        this.accounts.setupRequired()
          ? 'The set-up link is not valid. Use the link vigil serve printed on its console.'
          : 'Vigil is already set up: sign in instead.',
      )
    const account = await this.accounts.createFirst(p.name, p.password, ctx.origin)
    this.setupToken = null
    return this.begin(account, ctx)
  }

  async changePassword(
    p: ParsedParams<'changePassword'>,
    ctx: SignedInContext,
  ): Promise<Result<'changePassword'>> {
    await this.accounts.changeOwn(ctx.caller.name, p.currentPassword, p.newPassword, ctx.origin)
    this.sessions.endAllFor(ctx.caller.name, 'password-changed')
    return { changed: true }
  }

  /**
   * A new session for a verified account. The previous session of the same screen ends: a
   * switch of user at the end of a shift leaves nobody signed in behind the new one.
   */
  private begin(account: AccountRow, ctx: CallContext): SignInResult {
    const previous = this.sessions.info(ctx.token)
    if (previous) {
      this.sessions.end(ctx.token, 'replaced')
      this.o.audit.record({
        user: previous.user,
        action: 'sign-out',
        note: `switched to ${account.name}`,
        origin: ctx.origin,
      })
    }
    const { token, info } = this.sessions.begin(account)
    this.o.audit.record({
      user: account.name,
      action: 'sign-in',
      after: { role: account.role },
      origin: ctx.origin,
    })
    return { ...info, token }
  }

  private tokenMatches(given: string | undefined): boolean {
    const expected = this.firstRunToken()
    if (!expected || given === undefined) return false
    const a = Buffer.from(given)
    const b = Buffer.from(expected)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  // ---- users -----------------------------------------------------------------------------

  async listUsers(): Promise<Result<'listUsers'>> {
    return this.accounts.list()
  }

  async saveUser(p: ParsedParams<'saveUser'>, ctx: SignedInContext): Promise<Result<'saveUser'>> {
    await this.accounts.save(actorOf(ctx), p.name, p.role, p.password)
    return this.accounts.list()
  }

  async deleteUser(
    p: ParsedParams<'deleteUser'>,
    ctx: SignedInContext,
  ): Promise<Result<'deleteUser'>> {
    const removed = this.accounts.remove(actorOf(ctx), p.name)
    this.endSessions(removed.name, 'user-removed')
    return this.accounts.list()
  }

  async resetPassword(
    p: ParsedParams<'resetPassword'>,
    ctx: SignedInContext,
  ): Promise<Result<'resetPassword'>> {
    await this.accounts.resetPassword(actorOf(ctx), p.name, p.newPassword)
    this.endSessions(p.name, 'password-changed')
    return this.accounts.list()
  }

  async unlockUser(
    p: ParsedParams<'unlockUser'>,
    ctx: SignedInContext,
  ): Promise<Result<'unlockUser'>> {
    this.accounts.unlock(actorOf(ctx), p.name)
    return this.accounts.list()
  }

  private endSessions(name: string, reason: EndReason): void {
    this.sessions.endAllFor(name, reason)
  }

  // ---- security settings and the audit trail ----------------------------------------------

  securitySettings(): SecuritySettings {
    return this.o.store.securitySettings()
  }

  /** Every folder files may be read from now. */
  fileFolders(): string[] {
    return this.o.fileFolders(this.securitySettings().extraFileFolders)
  }

  async getSecurity(): Promise<SecurityInfo> {
    return { settings: this.securitySettings(), fileFolders: this.fileFolders() }
  }

  async setSecuritySettings(p: SecuritySettings, ctx: SignedInContext): Promise<SecurityInfo> {
    const issues = p.extraFileFolders.flatMap((f, i) => {
      const problem = checkFolder(f)
      return problem ? [`extraFileFolders.${i}: ${problem}`] : []
    })
    if (issues.length)
      throw new VigilError('INVALID_PARAMS', `Folders not allowed: ${issues.join('; ')}`, issues)
    const before = this.securitySettings()
    this.o.store.transaction(() => {
      this.o.store.saveSecuritySettings(p)
      this.o.audit.record({
        user: ctx.caller.name,
        action: 'security-settings',
        target: 'security',
        before,
        after: p,
        origin: ctx.origin,
      })
    })
    return this.getSecurity()
  }

  async queryAuditTrail(p: ParsedParams<'queryAuditTrail'>): Promise<Result<'queryAuditTrail'>> {
    return this.o.audit.query(p)
  }
}

/** The audit trail's view of a signed-in caller. */
export function actorOf(ctx: SignedInContext): Actor {
  return { name: ctx.caller.name, origin: ctx.origin }
}
