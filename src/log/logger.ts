import { createWriteStream, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** A logger with a scope tag, e.g. `[historian]`. */
export interface Logger {
  debug(msg: string, ...rest: unknown[]): void
  info(msg: string, ...rest: unknown[]): void
  warn(msg: string, ...rest: unknown[]): void
  error(msg: string, ...rest: unknown[]): void
  scope(tag: string): Logger
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

function format(rest: unknown[]): string {
  return rest
    .map((r) =>
      r instanceof Error ? (r.stack ?? r.message) : typeof r === 'string' ? r : JSON.stringify(r),
    )
    .join(' ')
}

interface Sink {
  write(line: string, level: LogLevel): void
}

function makeLogger(sink: Sink, minLevel: LogLevel, tag: string): Logger {
  const emit = (level: LogLevel, msg: string, rest: unknown[]) => {
    if (LEVELS[level] < LEVELS[minLevel]) return
    const extra = rest.length ? ` ${format(rest)}` : ''
    sink.write(`${new Date().toISOString()} ${level.toUpperCase()} [${tag}] ${msg}${extra}`, level)
  }
  return {
    debug: (m, ...r) => emit('debug', m, r),
    info: (m, ...r) => emit('info', m, r),
    warn: (m, ...r) => emit('warn', m, r),
    error: (m, ...r) => emit('error', m, r),
    scope: (t) => makeLogger(sink, minLevel, t),
  }
}

/** A log file larger than this is set aside as `vigil.1.log` when the app starts. */
export const MAX_LOG_BYTES = 10 * 1024 * 1024

/** Keeps one previous log: the app runs for months and the disk is not the log's. */
function rotateIfLarge(file: string, maxBytes: number): void {
  try {
    if (statSync(file).size > maxBytes) renameSync(file, file.replace(/\.log$/, '.1.log'))
  } catch {
    // No log yet.
  }
}

export interface FileLogger extends Logger {
  /** Resolves once every line is on disk. */
  close(): Promise<void>
}

/**
 * The one logger: lines go to `<dataDir>/logs/vigil.log` and, when `console` is on, to stderr
 * for warnings and errors (stdout stays free for what the CLI prints).
 */
export function createLogger(opts: {
  dataDir?: string
  level?: LogLevel
  console?: boolean
  tag?: string
  maxBytes?: number
}): FileLogger {
  let stream: WriteStream | null = null
  if (opts.dataDir) {
    const dir = join(opts.dataDir, 'logs')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'vigil.log')
    rotateIfLarge(file, opts.maxBytes ?? MAX_LOG_BYTES)
    stream = createWriteStream(file, { flags: 'a' })
  }
  const sink: Sink = {
    write(line, level) {
      stream?.write(line + '\n')
      if (opts.console && LEVELS[level] >= LEVELS.warn) process.stderr.write(line + '\n')
    },
  }
  const logger = makeLogger(sink, opts.level ?? 'info', opts.tag ?? 'vigil')
  const close = () =>
    new Promise<void>((resolve) => {
      if (!stream) return resolve()
      stream.end(resolve)
    })
  return { ...logger, close }
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = makeLogger({ write: () => {} }, 'error', 'silent')
