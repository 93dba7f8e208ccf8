// Soundness of package-lock.json, checked offline. Node built-ins only: `npm run setup` uses it
// before node_modules exists.
//
// A lock that installs on the machine that wrote it can still fail on a fresh one: an entry
// without a version (an optional package the registry did not serve when the lock was written)
// makes `npm ci` crash with "Invalid Version:". These checks find such entries, and a lock that
// disagrees with package.json, before a fresh machine does.

/** What `npm run fix:lock` runs after dropping the broken entries (npm itself crashes on them). */
export const LOCK_REGENERATE_ARGS = [
  'install',
  '--package-lock-only',
  '--ignore-scripts',
  '--no-audit',
  '--no-fund',
]

/** The command that repairs the lock: drops entries without a version, then regenerates it. */
export const LOCK_FIX_COMMAND = 'npm run fix:lock'

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies']

/**
 * Every problem found in `lock` (parsed package-lock.json) against `pkg` (parsed package.json),
 * each `{ entry, problem }`; empty when the lock is sound.
 *
 * @param {Record<string, any>} pkg
 * @param {Record<string, any>} lock
 * @returns {{ entry: string, problem: string }[]}
 */
export function checkLockfile(pkg, lock) {
  const problems = []
  const add = (entry, problem) => problems.push({ entry, problem })
  if (lock.lockfileVersion !== 3 && lock.lockfileVersion !== 2) {
    add('lockfileVersion', `is ${lock.lockfileVersion}; npm 7 or later writes 2 or 3`)
  }
  const packages = lock.packages
  if (!packages || typeof packages !== 'object') {
    add('packages', 'is missing: the lock was not written by npm 7 or later')
    return problems
  }

  for (const [path, entry] of Object.entries(packages)) {
    if (path === '') continue
    if (entry.link) {
      if (typeof entry.resolved !== 'string') add(path, 'is a link with no "resolved" target')
      continue
    }
    if (typeof entry.version !== 'string' || !parseVersion(entry.version)) {
      add(path, `has no valid "version" (${JSON.stringify(entry.version ?? null)})`)
      continue
    }
    // npm may leave registry addresses out of the lock (omit-lockfile-registry-resolved); the
    // integrity hash is what pins the tarball. A git or file dependency has `resolved` only.
    const fromRegistry = typeof entry.resolved !== 'string' || /^https?:/.test(entry.resolved)
    if (fromRegistry && typeof entry.integrity !== 'string') {
      add(path, 'has no "integrity" hash')
    }
  }

  // package.json and the root entry of the lock list the same dependencies with the same specs.
  const root = packages[''] ?? {}
  for (const field of DEP_FIELDS) {
    const wanted = pkg[field] ?? {}
    const locked = root[field] ?? {}
    for (const [name, spec] of Object.entries(wanted)) {
      if (locked[name] === undefined) add(name, `is in package.json ${field} but not in the lock`)
      else if (locked[name] !== spec) {
        add(name, `is ${spec} in package.json ${field} but ${locked[name]} in the lock`)
      }
    }
    for (const name of Object.keys(locked)) {
      if (wanted[name] === undefined) add(name, `is in the lock's ${field} but not in package.json`)
    }
  }

  // Every dependency edge is met by the package npm would find, as `npm ci` checks.
  for (const [path, entry] of Object.entries(packages)) {
    if (entry.link || (path !== '' && typeof entry.version !== 'string')) continue
    const edges = [
      ...Object.entries(entry.dependencies ?? {}).map(([n, s]) => [n, s, false]),
      ...Object.entries(entry.optionalDependencies ?? {}).map(([n, s]) => [n, s, true]),
      ...(path === ''
        ? Object.entries(entry.devDependencies ?? {}).map(([n, s]) => [n, s, false])
        : []),
    ]
    for (const [name, spec, optional] of edges) {
      const found = resolveFrom(packages, path, name)
      if (!found) {
        if (!optional) add(path || '(root)', `needs ${name}@${spec}, which the lock does not have`)
        continue
      }
      const target = found.entry.link ? packages[found.entry.resolved] : found.entry
      const version = target?.version
      if (typeof version !== 'string') continue // reported above
      const verdict = satisfies(version, spec)
      if (verdict === false) {
        add(found.path, `is ${version}, but ${path || '(root)'} needs ${name}@${spec}`)
      }
    }
  }
  return problems
}

/** The entry Node's module resolution would find for `name` required from `fromPath`. */
function resolveFrom(packages, fromPath, name) {
  let base = fromPath
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`
    if (packages[candidate]) return { path: candidate, entry: packages[candidate] }
    if (!base) return undefined
    const cut = base.lastIndexOf('/node_modules/')
    base = cut === -1 ? '' : base.slice(0, cut)
  }
}

/** `[major, minor, patch, prerelease]` of a full version, or undefined. */
export function parseVersion(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim())
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  if (a[3] === b[3]) return 0
  if (!a[3]) return 1 // a release sorts after its prereleases
  if (!b[3]) return -1
  return a[3] < b[3] ? -1 : 1
}

/** A partial version (`1`, `1.2`, `1.x`, `1.2.3`) as its parts, undefined where wild. */
function partial(text) {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?$/.exec(text)
  if (!m) return undefined
  const n = (s) => (s === undefined || /^[xX*]$/.test(s) ? undefined : Number(s))
  return { major: n(m[1]), minor: n(m[2]), patch: n(m[3]), pre: m[4] ?? '' }
}

const v = (major, minor, patch, pre = '') => [major, minor ?? 0, patch ?? 0, pre]

/** One comparator set (space-separated, all must hold) as a list of tests. */
function comparators(set) {
  const tests = []
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set)
  if (hyphen) {
    const lo = partial(hyphen[1])
    const hi = partial(hyphen[2])
    if (!lo || !hi) return undefined
    tests.push((x) => compare(x, v(lo.major ?? 0, lo.minor, lo.patch, lo.pre)) >= 0)
    tests.push((x) => upperBound(hi)(x))
    return tests
  }
  for (const token of set.split(/\s+/).filter(Boolean)) {
    const m = /^(\^|~|>=|<=|>|<|=)?\s*(.*)$/.exec(token)
    const op = m[1] ?? ''
    if (m[2] === '' || m[2] === '*' || /^[xX]$/.test(m[2])) continue
    const p = partial(m[2])
    if (!p) return undefined
    const base = v(p.major ?? 0, p.minor, p.patch, p.pre)
    if (op === '^') {
      tests.push((x) => compare(x, base) >= 0)
      if (p.major > 0 || p.minor === undefined) tests.push((x) => x[0] === p.major)
      else if (p.minor > 0 || p.patch === undefined) {
        tests.push((x) => x[0] === 0 && x[1] === p.minor)
      } else tests.push((x) => x[0] === 0 && x[1] === 0 && x[2] === p.patch)
    } else if (op === '~') {
      tests.push((x) => compare(x, base) >= 0)
      tests.push((x) => x[0] === p.major && (p.minor === undefined || x[1] === p.minor))
    } else if (op === '>=') tests.push((x) => compare(x, base) >= 0)
    else if (op === '>') tests.push((x) => compare(x, base) > 0)
    else if (op === '<') tests.push((x) => compare(x, base) < 0)
    else if (op === '<=') tests.push(upperBound(p))
    else {
      // `1.2.3` or `=1.2.3` exactly; `1.2` or `1.x` any patch of it.
      tests.push((x) => compare(x, v(p.major ?? 0, p.minor, p.patch, p.pre)) >= 0)
      tests.push(upperBound(p))
    }
  }
  return tests
}

/** `<= p` where the missing parts of p are wild (`<=1.2` is `<1.3.0`). */
function upperBound(p) {
  if (p.major === undefined) return () => true
  if (p.minor === undefined) return (x) => x[0] <= p.major
  if (p.patch === undefined) return (x) => x[0] < p.major || (x[0] === p.major && x[1] <= p.minor)
  return (x) => compare(x, v(p.major, p.minor, p.patch, p.pre)) <= 0
}

/**
 * Whether `version` meets the npm range `spec`: true, false, or undefined for specs this
 * checker does not read (`npm:` aliases, git, file, tags), which are then not judged.
 */
export function satisfies(version, spec) {
  const x = parseVersion(version)
  if (!x) return false
  const text = spec.trim()
  if (text === '' || text === '*' || text === 'latest') return true
  if (/^(npm:|git|file:|link:|https?:|workspace:)|\//.test(text)) return undefined
  let judged = false
  for (const set of text.split('||').map((s) => s.trim())) {
    const tests = comparators(set)
    if (!tests) continue
    judged = true
    // A prerelease only meets a range that names a prerelease of the same version.
    if (x[3] && !/-/.test(set)) continue
    if (tests.every((t) => t(x))) return true
  }
  return judged ? false : undefined
}

/** The lines that name each problem and the command that fixes them. */
export function describeLockProblems(problems) {
  return [
    `package-lock.json is not sound (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
    ...problems.slice(0, 20).map(({ entry, problem }) => `  - ${entry} ${problem}`),
    ...(problems.length > 20 ? [`  … and ${problems.length - 20} more`] : []),
    'Fix: regenerate the lock from package.json, then commit it:',
    `  ${LOCK_FIX_COMMAND}   (drops the entries without a version, then runs npm ${LOCK_REGENERATE_ARGS.join(' ')})`,
    'and check it the way a fresh machine would: `npm cache clean --force && npm ci` in a clean clone.',
  ]
}

/** The lock without the entries npm cannot read (no valid version): npm regenerates them. */
export function withoutVersionlessEntries(lock) {
  const packages = Object.fromEntries(
    Object.entries(lock.packages ?? {}).filter(
      ([path, e]) =>
        path === '' || e.link || (typeof e.version === 'string' && parseVersion(e.version)),
    ),
  )
  return { ...lock, packages }
}
