import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { uptime } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  LOCK_FILE_NAME,
  lockDataDir,
  lockHolder,
  processStart,
} from '../../../../src/platform/data-dir-lock'
import { makeTempDir } from '../../../helpers/temp-dir'

let tmp: ReturnType<typeof makeTempDir> | undefined
afterEach(() => tmp?.remove())

describe('lockDataDir', () => {
  it('lets one Vigil at a time use a data folder, and frees it on release', () => {
    tmp = makeTempDir()
    const release = lockDataDir(tmp.dir)
    const otherLivePid = process.ppid
    expect(() => lockDataDir(tmp?.dir ?? '', otherLivePid)).toThrow(
      /in use by another running Vigil/,
    )
    release()
    expect(existsSync(join(tmp.dir, LOCK_FILE_NAME))).toBe(false)
    lockDataDir(tmp.dir, otherLivePid)()
  })

  it('takes over a lock left by a process that no longer runs', () => {
    tmp = makeTempDir()
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString()
    writeFileSync(join(tmp.dir, LOCK_FILE_NAME), gone)
    const release = lockDataDir(tmp.dir)
    release()
  })

  it('takes over a lock whose process id now belongs to an unrelated running program', () => {
    tmp = makeTempDir()
    const file = join(tmp.dir, LOCK_FILE_NAME)
    const unrelated = process.ppid // alive, but not the Vigil that wrote the lock
    // Written by a Vigil whose process started at another time than the one running now.
    writeFileSync(file, JSON.stringify({ pid: unrelated, start: 'another start' }))
    if (processStart(unrelated) !== null) {
      expect(lockHolder(tmp.dir)).toBeNull()
      lockDataDir(tmp.dir)()
    }
    // An old lock holding only a process id, written before this computer last started.
    writeFileSync(file, String(unrelated))
    const beforeBoot = (Date.now() - uptime() * 1000 - 3_600_000) / 1000
    utimesSync(file, beforeBoot, beforeBoot)
    expect(lockHolder(tmp.dir)).toBeNull()
    const release = lockDataDir(tmp.dir)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid })
    release()
    release() // twice is harmless
    expect(existsSync(file)).toBe(false)
  })

  it('still refuses a lock of a live Vigil written with its start time', () => {
    tmp = makeTempDir()
    const holder = process.ppid
    writeFileSync(
      join(tmp.dir, LOCK_FILE_NAME),
      JSON.stringify({ pid: holder, start: processStart(holder) }),
    )
    expect(lockHolder(tmp.dir)).toBe(holder)
    expect(() => lockDataDir(tmp?.dir ?? '')).toThrow(/in use by another running Vigil/)
  })
})
