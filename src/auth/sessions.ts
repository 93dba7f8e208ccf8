import { randomBytes } from 'node:crypto'
import type { Caller, SecuritySettings, SessionEndReason, SessionInfo } from '../contract'
import type { AccountRow } from './account-store'

/** Why a session ended; the screen says it in words. */
export type EndReason = SessionEndReason

interface Session {
  token: string
  name: string
  /** The role at sign-in: the limits below depend on it, so a new role means a new session. */
  role: AccountRow['role']
  /** The account's credential version at sign-in: a password change makes it stale. */
  credentialVersion: number
  createdAt: number
  lastSeenAt: number
  /** Null: no limit (viewers, a wall display). */
  expiresAt: number | null
  idleMs: number | null
}

export interface SessionsOptions {
  now: () => number
  /** The account as stored now (read per check, so another process's changes count). */
  account: (name: string) => AccountRow | null
  settings: () => SecuritySettings
}

type EndedListener = (token: string, reason: EndReason) => void

/**
 * Sessions one user may hold at once; the oldest ends when a new one would exceed it (a script
 * that signs in without ever signing out must not fill the memory with viewer sessions).
 */
export const MAX_SESSIONS_PER_USER = 20

/**
 * Signed-in sessions, kept in memory: a restart of the host signs everyone out. A session is
 * checked against the stored account at every use, so a new password, a removed account or a
 * changed role ends it at once, whichever process changed it. Operators and engineers are
 * signed out after the idle time and at the session limit; viewers (a wall display) only by
 * signing out, a password change or a restart.
 */
export class Sessions {
  private readonly byToken = new Map<string, Session>()
  private readonly listeners = new Set<EndedListener>()

  constructor(private readonly o: SessionsOptions) {}

  get size(): number {
    return this.byToken.size
  }

  begin(account: AccountRow): { token: string; info: SessionInfo } {
    const now = this.o.now()
    const settings = this.o.settings()
    const limited = account.role !== 'viewer'
    const session: Session = {
      token: randomBytes(32).toString('base64url'),
      name: account.name,
      role: account.role,
      credentialVersion: account.credentialVersion,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: limited ? now + settings.sessionHours * 3_600_000 : null,
      idleMs: limited && settings.idleMinutes > 0 ? settings.idleMinutes * 60_000 : null,
    }
    const own = [...this.byToken.values()].filter(
      (s) => s.name.toLowerCase() === account.name.toLowerCase(),
    )
    for (const old of own.slice(0, Math.max(0, own.length - MAX_SESSIONS_PER_USER + 1)))
      this.end(old.token, 'replaced')
    this.byToken.set(session.token, session)
    return { token: session.token, info: this.describe(session, account) }
  }

  /** The caller behind a token, or null (unknown, ended, expired, idle, stale). Counts as use. */
  resolve(token: string | null): Caller | null {
    const checked = this.check(token)
    if (!checked) return null
    checked.session.lastSeenAt = this.o.now()
    return { name: checked.account.name, role: checked.account.role }
  }

  /** What the screen needs to know of its session (without counting as use). */
  info(token: string | null): SessionInfo | null {
    const checked = this.check(token)
    return checked ? this.describe(checked.session, checked.account) : null
  }

  /** Whether a token is a live session, without touching the database (for event fan-out). */
  isOpen(token: string | null): boolean {
    return token !== null && this.byToken.has(token)
  }

  end(token: string | null, reason: EndReason): boolean {
    if (token === null) return false
    const s = this.byToken.get(token)
    if (!s) return false
    this.byToken.delete(token)
    for (const l of this.listeners) l(token, reason)
    return true
  }

  /** Ends every session of a user (password changed, account removed). */
  endAllFor(name: string, reason: EndReason): number {
    let n = 0
    for (const s of [...this.byToken.values()])
      if (s.name.toLowerCase() === name.toLowerCase() && this.end(s.token, reason)) n++
    return n
  }

  /** Ends what has run out; the host calls this every few seconds. Returns the names ended. */
  sweep(): { name: string; reason: EndReason }[] {
    const ended: { name: string; reason: EndReason }[] = []
    for (const s of [...this.byToken.values()]) {
      const reason = this.staleReason(s, this.o.account(s.name))
      if (reason && this.end(s.token, reason)) ended.push({ name: s.name, reason })
    }
    return ended
  }

  onEnded(listener: EndedListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private check(token: string | null): { session: Session; account: AccountRow } | null {
    if (token === null) return null
    const session = this.byToken.get(token)
    if (!session) return null
    const account = this.o.account(session.name)
    const reason = this.staleReason(session, account)
    if (reason || !account) {
      this.end(token, reason ?? 'user-removed')
      return null
    }
    return { session, account }
  }

  private staleReason(s: Session, account: AccountRow | null): EndReason | null {
    const now = this.o.now()
    if (!account || account.passwordHash === null) return 'user-removed'
    if (account.credentialVersion !== s.credentialVersion) return 'password-changed'
    if (account.role !== s.role) return 'role-changed'
    if (s.expiresAt !== null && now >= s.expiresAt) return 'expired'
    if (s.idleMs !== null && now - s.lastSeenAt >= s.idleMs) return 'idle'
    return null
  }

  private describe(s: Session, account: AccountRow): SessionInfo {
    return {
      user: account.name,
      role: account.role,
      expiresAt: s.expiresAt,
      idleSignOutMs: s.idleMs,
    }
  }
}
