import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import {
  checkLockfile,
  describeLockProblems,
  LOCK_FIX_COMMAND,
  satisfies,
  withoutVersionlessEntries,
} from '../../../scripts/lib/lockfile.mjs'
import { makeTempDir } from '../../helpers/temp-dir'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const CHECK = join(root, 'scripts', 'check-lock.mjs')
const readJson = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8')) as LockJson
const tmp = makeTempDir('vigil-lock-')
afterAll(() => tmp.remove())

interface LockEntry {
  version?: string
  integrity?: string
  resolved?: string
  link?: boolean
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}
interface LockJson {
  lockfileVersion: number
  packages: Record<string, LockEntry>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

const pkg = readJson('package.json')
const lock = readJson('package-lock.json')
const copyOfLock = (): LockJson => structuredClone(lock)

describe('the project lock file', () => {
  it('is sound and agrees with package.json', () => {
    expect(checkLockfile(pkg, lock)).toEqual([])
  })
})

describe('checkLockfile', () => {
  it('names an entry without a version, as npm 11 writes for an optional package it could not fetch', () => {
    const bad = copyOfLock()
    bad.packages['node_modules/vite/node_modules/napi-windows-process-start-time'] = {}
    const problems = checkLockfile(pkg, bad)
    expect(problems).toEqual([
      {
        entry: 'node_modules/vite/node_modules/napi-windows-process-start-time',
        problem: 'has no valid "version" (null)',
      },
    ])
    expect(describeLockProblems(problems).join('\n')).toContain(LOCK_FIX_COMMAND)
  })

  it('names an entry without an integrity hash, and accepts links', () => {
    const bad = copyOfLock()
    const [path] = Object.keys(bad.packages).filter((p) => p.endsWith('/zod'))
    delete bad.packages[path!]!.integrity
    bad.packages['node_modules/local-thing'] = { link: true, resolved: 'packages/local-thing' }
    expect(checkLockfile(pkg, bad)).toEqual([{ entry: path, problem: 'has no "integrity" hash' }])
  })

  it('finds package.json and the lock out of step', () => {
    const changed = structuredClone(pkg)
    changed.dependencies = { ...changed.dependencies, zod: '^3.0.0', 'left-pad': '^1.3.0' }
    const problems = checkLockfile(changed, lock).map((p) => `${p.entry} ${p.problem}`)
    expect(problems).toContain('left-pad is in package.json dependencies but not in the lock')
    expect(problems).toContain(
      `zod is ^3.0.0 in package.json dependencies but ${lock.packages['']!.dependencies!.zod} in the lock`,
    )
  })

  it('finds a locked version that does not meet the range a package asks for', () => {
    const bad = copyOfLock()
    bad.packages['node_modules/zod']!.version = '3.25.0'
    expect(checkLockfile(pkg, bad)).toContainEqual({
      entry: 'node_modules/zod',
      problem: `is 3.25.0, but (root) needs zod@${pkg.dependencies!.zod}`,
    })
  })

  it('drops only the entries npm cannot read', () => {
    const bad = copyOfLock()
    bad.packages['node_modules/broken'] = {}
    const kept = withoutVersionlessEntries(bad)
    expect(Object.keys(kept.packages)).toEqual(Object.keys(lock.packages))
  })
})

describe('satisfies (npm ranges)', () => {
  it.each([
    ['1.2.3', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['0.2.5', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['5.9.3', '5.9', true],
    ['5.10.0', '5.9', false],
    ['1.65.0', '1.65', true],
    ['4.0.0', '>=3.0.0 <4.0.0', false],
    ['3.9.9', '>=3.0.0 <4.0.0', true],
    ['22.13.0', '^20.19.0 || >=22.12.0', true],
    ['21.0.0', '^20.19.0 || >=22.12.0', false],
    ['1.0.0-beta.2', '^1.0.0', false],
    ['2.0.0-beta.2', '2.0.0-beta.2', true],
    ['1.5.0', '1.0.0 - 2.0.0', true],
    ['7.0.0', '*', true],
  ])('%s meets %s: %s', (version, spec, expected) => {
    expect(satisfies(version, spec)).toBe(expected)
  })

  it('does not judge aliases, git or file specs', () => {
    expect(satisfies('1.0.0', 'npm:other@^1')).toBeUndefined()
    expect(satisfies('1.0.0', 'github:user/repo')).toBeUndefined()
  })
})

describe('npm run lint:lock', () => {
  it('passes on this lock and fails on a copy with a versionless entry, naming it and the fix', () => {
    const ok = spawnSync(process.execPath, [CHECK, root], { encoding: 'utf8' })
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(/package-lock.json is sound/)

    copyFileSync(join(root, 'package.json'), join(tmp.dir, 'package.json'))
    const bad = copyOfLock()
    bad.packages['node_modules/vite/node_modules/napi-windows-process-start-time'] = {
      dev: true,
      optional: true,
    } as LockEntry
    writeFileSync(join(tmp.dir, 'package-lock.json'), JSON.stringify(bad))
    const failed = spawnSync(process.execPath, [CHECK, tmp.dir], { encoding: 'utf8' })
    expect(failed.status).toBe(1)
    expect(failed.stderr).toContain(
      'node_modules/vite/node_modules/napi-windows-process-start-time has no valid "version"',
    )
    expect(failed.stderr).toContain('npm run fix:lock')
  })
})
