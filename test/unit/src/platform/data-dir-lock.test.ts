import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LOCK_FILE_NAME, lockDataDir } from '../../../../src/platform/data-dir-lock'
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
})
