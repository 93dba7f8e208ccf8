import type { Statement } from 'better-sqlite3'
import {
  DEFAULT_SECURITY_SETTINGS,
  securitySettingsSchema,
  type Role,
  type SecuritySettings,
  type UserAccount,
} from '../contract'
import type { Db } from '../historian/open-database'

/** An account as stored. `credentialVersion` goes up with every password change. */
export interface AccountRow {
  name: string
  role: Role
  passwordHash: string | null
  credentialVersion: number
  failedAttempts: number
  lockedUntil: number | null
  lastSignInAt: number | null
  createdAt: number
}

interface Row {
  name: string
  role: string
  password_hash: string | null
  credential_version: number
  failed_attempts: number
  locked_until: number | null
  last_sign_in_at: number | null
  created_at: number
}

const COLUMNS = `name, role, password_hash, credential_version, failed_attempts, locked_until,
  last_sign_in_at, created_at`
const SECURITY_KEY = 'security'

/**
 * The `accounts` table and the security settings, in the installation's database. Every read
 * goes to the database (no cache), so a change made by `vigil users` in another process counts
 * at the running host's next call.
 */
export class AccountStore {
  private readonly selectAll: Statement<[], Row>
  private readonly selectOne: Statement<[string], Row>
  private readonly insertRow: Statement<[string, string, string | null, number, number]>
  private readonly updateRole: Statement<[string, number, string]>
  private readonly updatePassword: Statement<[string, number, string]>
  private readonly updateFailure: Statement<[number, number | null, number, string]>
  private readonly updateSuccess: Statement<[number, number, string]>
  private readonly deleteRow: Statement<[string]>
  private readonly countEngineers: Statement<[], { n: number }>
  private readonly selectSetting: Statement<[string], { value: string }>
  private readonly upsertSetting: Statement<[string, string]>

  constructor(private readonly db: Db) {
    this.selectAll = db.prepare(`SELECT ${COLUMNS} FROM accounts ORDER BY name, rowid`)
    this.selectOne = db.prepare(`SELECT ${COLUMNS} FROM accounts WHERE name = ?`)
    this.insertRow = db.prepare(
      `INSERT INTO accounts (name, role, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?)`,
    )
    this.updateRole = db.prepare('UPDATE accounts SET role = ?, updated_at = ? WHERE name = ?')
    this.updatePassword = db.prepare(
      `UPDATE accounts SET password_hash = ?, credential_version = credential_version + 1,
         failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE name = ?`,
    )
    this.updateFailure = db.prepare(
      `UPDATE accounts SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE name = ?`,
    )
    this.updateSuccess = db.prepare(
      `UPDATE accounts SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = ?,
         updated_at = ? WHERE name = ?`,
    )
    this.deleteRow = db.prepare('DELETE FROM accounts WHERE name = ?')
    this.countEngineers = db.prepare(
      `SELECT COUNT(*) AS n FROM accounts WHERE role = 'engineer' AND password_hash IS NOT NULL`,
    )
    this.selectSetting = db.prepare('SELECT value FROM settings WHERE key = ?')
    this.upsertSetting = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /** Sorted by name, without regard to case. */
  all(): AccountRow[] {
    return this.selectAll.all().map(toAccount)
  }

  /** The account of that name, compared without regard to case. */
  get(name: string): AccountRow | null {
    const row = this.selectOne.get(name)
    return row ? toAccount(row) : null
  }

  insert(name: string, role: Role, passwordHash: string | null, t: number): void {
    this.insertRow.run(name, role, passwordHash, t, t)
  }

  setRole(name: string, role: Role, t: number): void {
    this.updateRole.run(role, t, name)
  }

  /** A new password: sessions made with the old one end, failures and a lock are forgotten. */
  setPassword(name: string, passwordHash: string, t: number): void {
    this.updatePassword.run(passwordHash, t, name)
  }

  recordFailure(name: string, failedAttempts: number, lockedUntil: number | null, t: number): void {
    this.updateFailure.run(failedAttempts, lockedUntil, t, name)
  }

  recordSignIn(name: string, t: number): void {
    this.updateSuccess.run(t, t, name)
  }

  delete(name: string): void {
    this.deleteRow.run(name)
  }

  /** Engineers who can sign in; none means the first-run set-up is still to be done. */
  engineersWithPassword(): number {
    return this.countEngineers.get()?.n ?? 0
  }

  securitySettings(): SecuritySettings {
    const row = this.selectSetting.get(SECURITY_KEY)
    if (!row) return DEFAULT_SECURITY_SETTINGS
    try {
      const parsed = securitySettingsSchema.safeParse(JSON.parse(row.value))
      if (parsed.success) return parsed.data
    } catch {
      // Unreadable: the defaults are the safe answer.
    }
    return DEFAULT_SECURITY_SETTINGS
  }

  saveSecuritySettings(settings: SecuritySettings): void {
    this.upsertSetting.run(SECURITY_KEY, JSON.stringify(settings))
  }
}

function toAccount(r: Row): AccountRow {
  return {
    name: r.name,
    role: r.role as Role,
    passwordHash: r.password_hash,
    credentialVersion: r.credential_version,
    failedAttempts: r.failed_attempts,
    lockedUntil: r.locked_until,
    lastSignInAt: r.last_sign_in_at,
    createdAt: r.created_at,
  }
}

/** What the Users page shows of an account (never the hash). */
export function toUserAccount(a: AccountRow, now: number): UserAccount {
  return {
    name: a.name,
    role: a.role,
    hasPassword: a.passwordHash !== null,
    failedAttempts: a.failedAttempts,
    lockedUntil: a.lockedUntil !== null && a.lockedUntil > now ? a.lockedUntil : null,
    lastSignInAt: a.lastSignInAt,
    createdAt: a.createdAt,
  }
}
