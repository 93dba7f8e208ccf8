import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { AccountStore } from '../auth/account-store'
import { Accounts, type Actor } from '../auth/accounts'
import { AuditTrail } from '../audit/audit-trail'
import { DB_FILE_NAME, Historian } from '../historian/historian'
import { SCHEMA_VERSION } from '../historian/migrations'
import { defaultDataDir } from '../platform/data-dir'
import { lockDataDir, lockHolder } from '../platform/data-dir-lock'
import type { UsersArgs } from './args'
import { readPassword } from './read-secret'

interface OpenAccounts {
  accounts: Accounts
  /** Whether a running Vigil uses the folder (it sees the change at its next call). */
  running: boolean
  close(): void
}

/**
 * The accounts of a data folder, whether or not Vigil runs on it. Running: a second connection
 * to its database (WAL lets both work; each change is one short transaction), refused if the
 * schema differs. Not running: the folder is locked and opened as the host would (migrations).
 */
function openAccounts(dataDir: string): OpenAccounts {
  const file = join(dataDir, DB_FILE_NAME)
  if (lockHolder(dataDir) !== null) {
    if (!existsSync(file)) throw new Error(`There is no database in ${dataDir} yet.`)
    const db = new Database(file, { fileMustExist: true })
    db.pragma('busy_timeout = 10000')
    const version = db.pragma('user_version', { simple: true }) as number
    if (version !== SCHEMA_VERSION) {
      db.close()
      throw new Error(
        `The Vigil running on ${dataDir} uses database schema ${version}; this vigil knows ${SCHEMA_VERSION}. Use the vigil of the running version, or stop it first.`,
      )
    }
    const accounts = new Accounts(new AccountStore(db), new AuditTrail(db, Date.now), Date.now)
    return { accounts, running: true, close: () => db.close() }
  }
  const unlock = lockDataDir(dataDir)
  try {
    const historian = new Historian(dataDir)
    const accounts = new Accounts(historian.accountStore, historian.auditTrail, Date.now)
    return {
      accounts,
      running: false,
      close: () => {
        historian.close()
        unlock()
      },
    }
  } catch (err) {
    unlock()
    throw err
  }
}

const ROLE_WIDTH = 9

function formatList(accounts: Accounts): string {
  const users = accounts.list()
  if (users.length === 0)
    return 'No users yet. Add an engineer: vigil users add NAME --role engineer\n'
  const width = Math.max(4, ...users.map((u) => u.name.length))
  const lines = users.map((u) => {
    const state = !u.hasPassword
      ? 'no password set'
      : u.lockedUntil !== null
        ? `locked until ${new Date(u.lockedUntil).toISOString()}`
        : u.lastSignInAt !== null
          ? `last signed in ${new Date(u.lastSignInAt).toISOString()}`
          : 'never signed in'
    return `${u.name.padEnd(width)}  ${u.role.padEnd(ROLE_WIDTH)}  ${state}`
  })
  return `${'NAME'.padEnd(width)}  ${'ROLE'.padEnd(ROLE_WIDTH)}  STATE\n${lines.join('\n')}\n`
}

/** `vigil users add|passwd|remove|list`. */
export async function users(args: UsersArgs): Promise<void> {
  const dataDir = args.dataDir ?? defaultDataDir()
  const actor: Actor = { name: `console (${userInfo().username})`, origin: 'console' }
  // Asked before the database opens: typing takes as long as it takes.
  const password =
    args.action === 'add' || args.action === 'passwd'
      ? await readPassword(`New password for ${args.name}: `, true)
      : null
  const open = openAccounts(dataDir)
  try {
    const { accounts } = open
    switch (args.action) {
      case 'list':
        process.stdout.write(formatList(accounts))
        return
      case 'add':
        if (accounts.get(args.name))
          throw new Error(
            `There is already a user "${args.name}". Use vigil users passwd to set a new password.`,
          )
        await accounts.save(actor, args.name, args.role, password ?? '')
        process.stdout.write(`User ${args.name} added as ${args.role}.\n`)
        break
      case 'passwd':
        await accounts.resetPassword(actor, args.name, password ?? '')
        process.stdout.write(`Password of ${args.name} set; their sessions have ended.\n`)
        break
      case 'remove':
        accounts.remove(actor, args.name)
        process.stdout.write(`User ${args.name} removed; their sessions have ended.\n`)
        break
    }
    if (open.running)
      process.stdout.write('The running Vigil uses the change from its next call.\n')
  } finally {
    open.close()
  }
}
