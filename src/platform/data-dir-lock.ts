import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { VigilError } from '../contract'

export const LOCK_FILE_NAME = 'vigil.lock'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Makes sure one Vigil at a time uses a data folder: two writers would fight over the history.
 * A lock left by a process that no longer runs (a crash, a power cut) is taken over.
 * Returns the function that releases it.
 */
export function lockDataDir(dataDir: string, pid: number = process.pid): () => void {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, LOCK_FILE_NAME)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(pid), { flag: 'wx' })
      return () => rmSync(file, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10)
      if (Number.isInteger(holder) && holder !== pid && isAlive(holder)) {
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
