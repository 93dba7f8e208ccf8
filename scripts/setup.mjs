// `npm run setup`: makes this clone ready to run and test Vigil.
//
// Node built-ins only: this runs before node_modules exists.
// Flags: --skip-apt (do not install system packages), --skip-electron (do not try to download
// the Electron binary). CI=true changes nothing: CI needs every step too.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './lib/electron.mjs'
import { checkLockfile, describeLockProblems, LOCK_FIX_COMMAND } from './lib/lockfile.mjs'
import {
  failureReason,
  isExecutable,
  npmCommand,
  npmFailureReason,
  run,
  which,
} from './lib/proc.mjs'
import { createReport } from './lib/report.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const flags = new Set(process.argv.slice(2))
const known = new Set(['--skip-apt', '--skip-electron'])
for (const flag of flags) {
  if (!known.has(flag)) {
    console.error(`Unknown option ${flag}. Options: --skip-apt, --skip-electron`)
    process.exit(2)
  }
}

const MIN_NODE = [20, 19]
const ELECTRON_TIMEOUT_MS = 90_000
const report = createReport()

function finish() {
  report.summary('Setup summary')
  if (report.failed()) {
    console.log('\nSetup incomplete: fix the ✖ lines above, then run `npm run setup` again.')
    process.exit(1)
  }
  console.log('\nReady: `npm start` runs the app, `npm test` runs every test.')
  process.exit(0)
}

// 1. Node.js
const [major, minor] = process.versions.node.split('.').map(Number)
if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) {
  report.ok(`Node.js ${process.versions.node} (>= ${MIN_NODE.join('.')} required)`)
} else {
  report.fail(`Node.js ${process.versions.node} is too old: Vigil needs >= ${MIN_NODE.join('.')}`)
  finish()
}

// 2. System packages for the tests: Chromium (browser tests), socat (serial tests), a CJK
// font (so the Chinese UI shows characters, not boxes, in screenshots and browser tests) and
// pymodbus with its serial transport (a Modbus slave nobody here wrote, for interop tests;
// serial-asyncio is only a Recommends of python3-pymodbus, so it is named).
const chromiumPath = process.env.VIGIL_CHROMIUM || '/usr/bin/chromium'
const SYSTEM_PACKAGES = [
  { name: 'chromium', present: () => isExecutable(chromiumPath) },
  { name: 'socat', present: () => which('socat') !== undefined },
  { name: 'fonts-noto-cjk', present: () => hasCjkFont() },
  { name: 'python3-pymodbus', present: () => systemPythonHas('pymodbus') },
  { name: 'python3-serial-asyncio', present: () => systemPythonHas('serial_asyncio') },
]
await aptPackages()

/**
 * Whether Debian's own Python can import `module`: apt installs into it, and a python3 earlier
 * on PATH (pyenv, a venv) does not see those packages. The tests use the same interpreter.
 */
function systemPythonHas(module) {
  const python = '/usr/bin/python3'
  if (!isExecutable(python)) return false
  return spawnSync(python, ['-c', `import ${module}`], { timeout: 20_000 }).status === 0
}

/** A CJK font Chromium can use: Debian's Noto CJK or WenQuanYi, or any font fontconfig knows. */
function hasCjkFont() {
  const known = [
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  ]
  if (known.some((path) => existsSync(path))) return true
  const fcList = which('fc-list')
  if (!fcList) return false
  const listed = spawnSync(fcList, [':lang=zh', 'family'], { encoding: 'utf8', timeout: 10_000 })
  return listed.status === 0 && listed.stdout.trim().length > 0
}

async function aptPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.name)
  const all = SYSTEM_PACKAGES.map((p) => p.name).join(', ')
  if (missing.length === 0) {
    report.ok(`System packages: ${all} already installed`)
    return
  }
  const isDebian = existsSync('/etc/debian_version')
  const isRoot = process.getuid?.() === 0
  const names = missing.join(' ')
  if (!isDebian) {
    report.warn(
      `System packages: ${names} missing; not Debian, so install them with your package manager` +
        ' (set VIGIL_CHROMIUM to the Chromium binary if it is not /usr/bin/chromium)',
    )
    return
  }
  const command =
    'sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y' +
    ` --no-install-recommends ${names}`
  if (flags.has('--skip-apt') || !isRoot) {
    const why = flags.has('--skip-apt') ? '--skip-apt' : 'not root'
    report.warn(`System packages: ${names} missing (${why}); install with: ${command}`)
    return
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  // Wait for another apt (unattended upgrades) rather than fail on its lock.
  const lockWait = ['-o', 'DPkg::Lock::Timeout=300']
  report.step('apt-get update')
  const update = await run('apt-get', [...lockWait, 'update'], { env, timeoutMs: 600_000 })
  report.step(`apt-get install -y --no-install-recommends ${names}`)
  const install = await run(
    'apt-get',
    [...lockWait, 'install', '-y', '--no-install-recommends', ...missing],
    { env, timeoutMs: 1_200_000 },
  )
  if (install.code === 0) {
    report.ok(`System packages: installed ${names}`)
  } else {
    const updateNote = update.code === 0 ? '' : ' (apt-get update failed too)'
    report.fail(
      `System packages: apt-get install ${names} failed${updateNote}: ${failureReason(install)}`,
    )
  }
}

// 3. npm ci. The Electron binary is fetched in its own step, where its failure is not fatal.
// The lock is checked first, offline: a broken lock makes npm crash with a message that does
// not say which entry is wrong or what to do.
const lockProblems = lockfileProblems()
if (lockProblems.length > 0) {
  report.fail('package-lock.json is not sound: `npm ci` would fail (see the lines above)')
  console.log(`\n${describeLockProblems(lockProblems).join('\n')}`)
  finish()
}
report.ok('package-lock.json: sound, in step with package.json')

report.step('npm ci (ELECTRON_SKIP_BINARY_DOWNLOAD=1)')
const ci = await run(npmCommand, ['ci', '--no-audit', '--no-fund'], {
  cwd: root,
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  capture: true,
})
if (ci.code === 0) {
  report.ok('npm ci: dependencies installed')
} else {
  report.fail(`npm ci failed: ${npmFailureReason(ci)}`)
  // The lock passed the offline check, yet npm refused it: the registry now serves something
  // else than when the lock was written (a package published or withdrawn since).
  if (/Invalid Version|from lock file|package-lock\.json.* in sync|lock ?file/i.test(ci.output)) {
    console.log(
      '\nnpm refused package-lock.json. Regenerate it against the registry and commit it:' +
        `\n  ${LOCK_FIX_COMMAND}` +
        '\nthen check it as a fresh machine would: `npm cache clean --force && npm ci`.',
    )
  }
  finish()
}

/** Problems of package-lock.json against package.json; unreadable files count as one. */
function lockfileProblems() {
  try {
    const read = (name) => JSON.parse(readFileSync(join(root, name), 'utf8'))
    return checkLockfile(read('package.json'), read('package-lock.json'))
  } catch (err) {
    return [{ entry: 'package-lock.json', problem: `cannot be read (${err.message})` }]
  }
}

// 4. The Electron binary (the desktop shell).
await electronBinary()

async function electronBinary() {
  let downloadNote = ''
  let found = await findElectronBinary(root)
  if (!found.available && flags.has('--skip-electron')) {
    downloadNote = 'download skipped: --skip-electron'
  } else if (!found.available) {
    console.log(
      `\nTrying to download the Electron binary (at most ${ELECTRON_TIMEOUT_MS / 1000} s)…`,
    )
    const env = { ...process.env }
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD
    const download = await run(process.execPath, [join('node_modules', 'electron', 'install.js')], {
      cwd: root,
      env,
      capture: true,
      quiet: true,
      timeoutMs: ELECTRON_TIMEOUT_MS,
    })
    if (download.code !== 0) downloadNote = `download failed: ${firstErrorLine(download)}`
    found = await findElectronBinary(root)
  }
  if (found.available) {
    report.ok(`Electron binary present (${found.path}): \`npm start\` opens the desktop app`)
  } else {
    const note = downloadNote ? ` (${downloadNote})` : ''
    report.warn(`Electron binary not available: \`npm start\` will run the web host instead${note}`)
  }
}

function firstErrorLine(result) {
  if (result.timedOut) return `timed out after ${ELECTRON_TIMEOUT_MS / 1000} s`
  if (result.error) return result.error.message
  const line = result.output.split(/\r?\n/).find((l) => l.trim() && !/^\s+at /.test(l))
  return line?.trim() ?? `exit code ${result.code}`
}

// 5. The machine-learning backend TensorFlow.js will use.
await mlBackend()

async function mlBackend() {
  // The app's own backend choice (src/model/backend.ts), so this report cannot drift from it.
  const result = await run(process.execPath, ['bin/run-ts.mjs', 'scripts/ml-backend.ts'], {
    cwd: root,
    capture: true,
    quiet: true,
    timeoutMs: 120_000,
  })
  const backend = /VIGIL_ML ([\w-]+)/.exec(result.output)?.[1]
  if (backend === 'tfjs-node') report.ok('ML backend: native TensorFlow (tfjs-node)')
  else if (backend === 'wasm')
    report.warn('ML backend: fallback: WebAssembly backend (tfjs-node absent)')
  else if (backend === 'cpu')
    report.warn('ML backend: cpu (slow; neither tfjs-node nor WebAssembly loaded)')
  else report.fail(`ML backend: TensorFlow.js could not be loaded (${failureReason(result)})`)
}

// 6. What the tests need from the system.
await testTools()

async function testTools() {
  const chromium = isExecutable(chromiumPath) ? chromiumPath : undefined
  if (!chromium) {
    report.fail(
      process.env.VIGIL_CHROMIUM
        ? `Chromium for browser tests: VIGIL_CHROMIUM=${chromiumPath} is not an executable file`
        : `Chromium for browser tests: not found at ${chromiumPath}; install Debian's chromium or set VIGIL_CHROMIUM`,
    )
  } else {
    const result = await run(chromium, ['--version'], {
      capture: true,
      quiet: true,
      timeoutMs: 30_000,
    })
    const version = /Chromium [\d.]+|Google Chrome [\d.]+|Chrome [\d.]+/.exec(result.output)?.[0]
    if (version) report.ok(`Chromium for browser tests: ${version} (${chromium})`)
    else
      report.fail(
        `Chromium for browser tests: ${chromium} --version failed (${failureReason(result)})`,
      )
  }
  const socat = which('socat')
  if (!socat) {
    report.fail('socat for serial tests: not found on PATH')
  } else {
    const result = await run(socat, ['-V'], { capture: true, quiet: true, timeoutMs: 10_000 })
    const version = /socat version (\S+)/.exec(result.output)?.[1]
    report.ok(`socat for serial tests: ${version ? `socat ${version}` : 'found'} (${socat})`)
  }
  if (hasCjkFont()) report.ok('CJK font: the Chinese UI renders in Chromium (fonts-noto-cjk)')
  else report.warn('CJK font: none found; Chinese text shows as boxes in Chromium')
}

// 7. Build main, preload and renderer, so the app is ready to start.
report.step('npm run build')
const build = await run(npmCommand, ['run', 'build'], { cwd: root, capture: true })
if (build.code === 0) report.ok('Build: main, preload and renderer built into out/')
else report.fail(`Build failed (${failureReason(build)})`)

finish()
