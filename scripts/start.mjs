// `npm start`: Vigil on the built-in demo plant.
//
// With the Electron binary, the desktop app; without it (these development machines, where it
// cannot be downloaded), the headless host `vigil serve`, which prints the URL to open.
// Extra arguments are passed on: `npm start -- --port 5171 --data-dir /tmp/vigil`.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './lib/electron.mjs'
import { npmCommand, npxCommand, run, runForeground } from './lib/proc.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const extraArgs = process.argv.slice(2).filter((arg) => arg !== '--demo')

if (!existsSync(join(root, 'node_modules'))) {
  console.error('Dependencies are not installed: run `npm run setup` first.')
  process.exit(1)
}

const electron = await findElectronBinary(root)
// Electron on Linux needs a display; an edge box with the binary but no screen runs headless.
const noDisplay =
  process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY

if (electron.available && !noDisplay) {
  await build(npxCommand, ['electron-vite', 'build'])
  console.log('Starting Vigil (desktop) on the demo plant…')
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  // electron's cli.js is what node_modules/.bin/electron runs, on every platform.
  const cli = join(root, 'node_modules', 'electron', 'cli.js')
  process.exit(
    await runForeground(process.execPath, [cli, '.', '--demo', ...extraArgs], { cwd: root, env }),
  )
} else {
  console.log(
    electron.available
      ? 'No display (DISPLAY and WAYLAND_DISPLAY are unset); starting the headless host instead'
      : 'Electron binary not available on this machine; starting the headless host instead',
  )
  await build(npmCommand, ['run', 'build:web'])
  const vigil = join(root, 'bin', 'vigil.mjs')
  process.exit(
    await runForeground(process.execPath, [vigil, 'serve', '--demo', ...extraArgs], { cwd: root }),
  )
}

async function build(command, args) {
  console.log(`Building: ${[command.replace(/\.cmd$/, ''), ...args].join(' ')}`)
  const result = await run(command, args, { cwd: root })
  if (result.code !== 0) {
    console.error(
      `Build failed (${result.error?.message ?? `exit code ${result.code}`}); not starting.`,
    )
    process.exit(1)
  }
}
