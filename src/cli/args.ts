import { parseArgs } from 'node:util'

export const USAGE = `Usage:
  vigil serve [--host 127.0.0.1] [--port 5170] [--data-dir DIR] [--demo]
  vigil backup [--data-dir DIR] --to FILE
  vigil eval skab DIR [--json FILE] [--score model|second-sensor]
  vigil --version
  vigil --help

Commands:
  serve     Run the monitor headless and serve the UI and the API over HTTP + WebSocket.
  backup    Copy the history database to FILE, safely, even while Vigil is running.
  eval      Score the anomaly detector on a benchmark (SKAB: every labelled CSV under DIR).

Options for serve:
  --host HOST      Address to listen on (default 127.0.0.1: this PC only).
  --port PORT      Port to listen on (default 5170; 0 picks a free one).
  --data-dir DIR   Where the database and logs live (default: the per-user app data folder).
  --demo           Run the built-in demo plant (a simulated pump).

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
}

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
  ServeArgs | BackupArgs | EvalArgs | { command: 'help' } | { command: 'version' }

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
  return {
    command: 'serve',
    host: values.host,
    port,
    dataDir: values['data-dir'] ?? null,
    demo: values.demo,
  }
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
