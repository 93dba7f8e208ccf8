// `npm run lint:lock`: package-lock.json is sound and agrees with package.json (offline).
// Exit 0 when it is, 1 with the bad entries and the fixing command when it is not.
// `npm run fix:lock` (--fix): drops the entries npm cannot read, then lets npm regenerate the
// lock from package.json (this needs the registry).
// Usage: node scripts/check-lock.mjs [--fix] [DIR]   (DIR holds package.json and the lock)
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  checkLockfile,
  describeLockProblems,
  LOCK_REGENERATE_ARGS,
  withoutVersionlessEntries,
} from './lib/lockfile.mjs'
import { npmCommand, run } from './lib/proc.mjs'

const args = process.argv.slice(2)
const fix = args.includes('--fix')
const dir = resolve(args.find((a) => a !== '--fix') ?? '.')
const lockPath = join(dir, 'package-lock.json')
const read = (name) => {
  try {
    return JSON.parse(readFileSync(join(dir, name), 'utf8'))
  } catch (err) {
    console.error(`Cannot read ${join(dir, name)}: ${err.message}`)
    process.exit(1)
  }
}

if (fix) {
  const lock = read('package-lock.json')
  const kept = withoutVersionlessEntries(lock)
  const dropped = Object.keys(lock.packages ?? {}).length - Object.keys(kept.packages).length
  if (dropped > 0) {
    writeFileSync(lockPath, JSON.stringify(kept, null, 2) + '\n')
    console.log(`Dropped ${dropped} lock entr${dropped === 1 ? 'y' : 'ies'} without a version.`)
  }
  console.log(`Running npm ${LOCK_REGENERATE_ARGS.join(' ')}`)
  const result = await run(npmCommand, LOCK_REGENERATE_ARGS, { cwd: dir })
  if (result.code !== 0) {
    console.error('npm could not regenerate the lock (see above).')
    process.exit(1)
  }
}

const problems = checkLockfile(read('package.json'), read('package-lock.json'))
if (problems.length > 0) {
  for (const line of describeLockProblems(problems)) console.error(line)
  process.exit(1)
}
const count = Object.keys(read('package-lock.json').packages).length - 1
console.log(`package-lock.json is sound: ${count} entries, in step with package.json.`)
if (fix) console.log('Commit package-lock.json, then try `npm ci` in a clean clone.')
