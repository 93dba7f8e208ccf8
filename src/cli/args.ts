import { parseArgs } from 'node:util'
import { ROLES, type Role } from '../contract'

export const USAGE = `Usage:
  vigil serve [--host 127.0.0.1] [--port 5170] [--data-dir DIR] [--demo]
              [--allow-host NAME]... [--tls-cert FILE --tls-key FILE]
  vigil users add NAME --role viewer|operator|engineer [--data-dir DIR]
  vigil users passwd NAME [--data-dir DIR]
  vigil users remove NAME [--data-dir DIR]
  vigil users list [--data-dir DIR]
  vigil backup [--data-dir DIR] --to FILE
  vigil eval skab DIR [--json FILE] [--score model|second-sensor]
  vigil --version
  vigil --help

Commands:
  serve     Run the monitor headless and serve the UI and the API over HTTP + WebSocket.
  users     Add, list, remove users and set passwords (also while Vigil runs). Passwords are
            read from standard input: typed twice at a terminal, or the first line of a pipe.
  backup    Copy the history database to FILE, safely, even while Vigil is running.
  eval      Score the anomaly detector on a benchmark (SKAB: every labelled CSV under DIR).

Options for serve:
  --host HOST      Address to listen on (default 127.0.0.1: this PC only).
  --port PORT      Port to listen on (default 5170; 0 picks a free one).
  --data-dir DIR   Where the database and logs live (default: the per-user app data folder).
  --demo           Run the built-in demo plant (a simulated pump).
  --allow-host NAME  A host name (or address) the browser may use to reach this host, besides
                   this computer's own; repeat for more. Other names are refused.
  --tls-cert FILE  Serve HTTPS with this certificate (PEM); needs --tls-key.
  --tls-key FILE   The certificate's private key (PEM).

Options for users:
  --role ROLE      viewer (sees everything), operator (also acknowledges and shelves alarms),
                   engineer (also configures sources, models, limits, storage and users).
  --data-dir DIR   The data folder (default: the per-user app data folder).

Options for backup:
  --data-dir DIR   The data folder to back up (default: the per-user app data folder).
  --to FILE        Where to write the copy; an existing file is never overwritten.

Options for eval:
  --json FILE      Also write the totals, the baseline, the operating curve and every file's
                   figures as JSON.
  --score MODE     model (default): the live scorer's (adapted) score; second-sensor: the second
                   largest per-sensor error relative to validation (an experiment, not adapted).
`

export interface ServeArgs {
  command: 'serve'
  host: string
  port: number
  dataDir: string | null
  demo: boolean
  allowHosts: string[]
  tls: { cert: string; key: string } | null
}

export type UsersArgs = { command: 'users'; dataDir: string | null } & (
  | { action: 'add'; name: string; role: Role }
  | { action: 'passwd'; name: string }
  | { action: 'remove'; name: string }
  | { action: 'list' }
)

export interface BackupArgs {
  command: 'backup'
  dataDir: string | null
  to: string
}

export interface EvalArgs {
  command: 'eval'
  benchmark: 'skab'
  dir: string
  json: string | null
  score: 'model' | 'second-sensor'
}

export type CliArgs =
  ServeArgs | UsersArgs | BackupArgs | EvalArgs | { command: 'help' } | { command: 'version' }

/** A mistake on the command line; the message is for the person who typed it. */
export class UsageError extends Error {}

/** Parses `vigil` arguments; throws UsageError with a plain message when they are wrong. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '5170' },
        'data-dir': { type: 'string' },
        demo: { type: 'boolean', default: false },
        to: { type: 'string' },
        json: { type: 'string' },
        score: { type: 'string', default: 'model' },
        'allow-host': { type: 'string', multiple: true, default: [] },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        role: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
  const { values, positionals } = parsed
  if (values.help) return { command: 'help' }
  if (values.version) return { command: 'version' }
  const [command, ...extra] = positionals
  if (command === undefined) return { command: 'help' }
  if (command === 'eval') return parseEval(extra, values.json, values.score)
  if (command === 'users') return parseUsers(extra, values['data-dir'] ?? null, values.role)
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`)
  if (command === 'backup') {
    if (!values.to) throw new UsageError('backup needs --to FILE: where to write the copy.')
    return { command: 'backup', dataDir: values['data-dir'] ?? null, to: values.to }
  }
  if (command !== 'serve') throw new UsageError(`Unknown command "${command}".`)
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}".`)
  }
  if (!values.host) throw new UsageError('--host must not be empty.')
  const cert = values['tls-cert']
  const key = values['tls-key']
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--tls-cert and --tls-key go together: give both, or neither.')
  const allowHosts = values['allow-host']
  for (const h of allowHosts)
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(h))
      throw new UsageError(`--allow-host takes a host name or address, not "${h}".`)
  return {
    command: 'serve',
    host: values.host,
    port,
    dataDir: values['data-dir'] ?? null,
    demo: values.demo,
    allowHosts,
    tls: cert !== undefined && key !== undefined ? { cert, key } : null,
  }
}

function parseUsers(positionals: string[], dataDir: string | null, role?: string): UsersArgs {
  const [action, name, ...extra] = positionals
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`)
  if (action === 'list') {
    if (name !== undefined) throw new UsageError(`Unexpected argument "${name}".`)
    return { command: 'users', dataDir, action }
  }
  if (action !== 'add' && action !== 'passwd' && action !== 'remove')
    throw new UsageError('users needs an action: add, passwd, remove or list.')
  if (!name) throw new UsageError(`users ${action} needs the user's NAME.`)
  if (action !== 'add') {
    if (role !== undefined) throw new UsageError(`--role is for users add.`)
    return { command: 'users', dataDir, action, name }
  }
  if (role === undefined) throw new UsageError('users add needs --role viewer|operator|engineer.')
  if (!(ROLES as readonly string[]).includes(role))
    throw new UsageError(`--role must be viewer, operator or engineer, not "${role}".`)
  return { command: 'users', dataDir, action, name, role: role as Role }
}

function parseEval(positionals: string[], json: string | undefined, score: string): EvalArgs {
  const [benchmark, dir, ...extra] = positionals
  if (benchmark === undefined) throw new UsageError('eval needs a benchmark: vigil eval skab DIR.')
  if (benchmark !== 'skab') {
    throw new UsageError(`Unknown benchmark "${benchmark}"; the one available is "skab".`)
  }
  if (!dir) throw new UsageError('eval skab needs DIR: the folder holding the SKAB CSV files.')
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`)
  if (json === '') throw new UsageError('--json needs a file name.')
  if (score !== 'model' && score !== 'second-sensor') {
    throw new UsageError(`--score must be "model" or "second-sensor", not "${score}".`)
  }
  return { command: 'eval', benchmark, dir, json: json ?? null, score }
}
