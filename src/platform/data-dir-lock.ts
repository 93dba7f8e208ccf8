import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { uptime } from 'node:os'
import { join } from 'node:path'
import { VigilError } from '../contract'

export const LOCK_FILE_NAME = 'vigil.lock'

/** What the lock file holds: the process and, where the OS tells, when that process started. */
interface LockContent {
  pid: number
  /** Linux: the process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22). */
  start: string | null
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** When a process started, as an opaque value; null where `/proc` does not exist. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return fields[19] ?? null
  } catch {
    return null
  }
}

function readLock(file: string): LockContent | null {
  const text = readFileSync(file, 'utf8').trim()
  try {
    const parsed = JSON.parse(text) as Partial<LockContent>
    if (typeof parsed === 'number') return { pid: parsed, start: null }
    if (typeof parsed.pid === 'number')
      return { pid: parsed.pid, start: typeof parsed.start === 'string' ? parsed.start : null }
  } catch {
    // Not JSON: an older lock, or a damaged one.
  }
  const pid = Number.parseInt(text, 10)
  return Number.isInteger(pid) ? { pid, start: null } : null
}

/**
 * The process that holds the lock, if it is really a running Vigil. A process id alone is not
 * proof: after a crash or a power cut, the id may belong to an unrelated process. So a lock
 * written before this computer last started is stale, and where the OS tells when a process
 * started (Linux), a holder that started at another time than the one recorded is stale too.
 */
export function lockHolder(dataDir: string, self: number = process.pid): number | null {
  const file = join(dataDir, LOCK_FILE_NAME)
  let lock: LockContent | null
  let writtenAt: number
  try {
    lock = readLock(file)
    writtenAt = statSync(file).mtimeMs
  } catch {
    return null
  }
  if (!lock || lock.pid === self || !isAlive(lock.pid)) return null
  // A minute of slack: uptime and the file clock are not exact.
  const bootedAt = Date.now() - uptime() * 1000
  if (writtenAt < bootedAt - 60_000) return null
  if (lock.start !== null) {
    const now = processStart(lock.pid)
    if (now !== null && now !== lock.start) return null
  }
  return lock.pid
}

/** Removes the lock if it is still ours (releasing twice, or after a take-over, is harmless). */
function release(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) rmSync(file, { force: true })
  } catch {
    // Already gone.
  }
}

/**
 * Makes sure one Vigil at a time uses a data folder: two writers would fight over the history.
 * A lock left by a process that no longer runs (a crash, a power cut), or whose process id now
 * belongs to another program, is taken over. Returns the function that releases it.
 */
export function lockDataDir(dataDir: string, pid: number = process.pid): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, LOCK_FILE_NAME)
  const content = JSON.stringify({ pid, start: processStart(pid) } satisfies LockContent)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, content, { flag: 'wx' })
      return () => release(file, content)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = lockHolder(dataDir, pid)
      if (holder !== null) {
        throw new VigilError(
          'NOT_AVAILABLE',
          `The data folder ${dataDir} is in use by another running Vigil (process ${holder}). Stop it first, or use another --data-dir.`,
        )
      }
      rmSync(file, { force: true })
    }
  }
  throw new VigilError('NOT_AVAILABLE', `Could not lock the data folder ${dataDir}.`)
}
