// Whether the Electron binary is on this machine. The `electron` package is always installed
// (electron-vite needs it); its binary is downloaded separately and often cannot be.
import { run } from './proc.mjs'

const PROBE = `
const fs = require('node:fs')
let result
try {
  const path = require('electron')
  result = { path, exists: typeof path === 'string' && fs.existsSync(path) }
} catch (error) {
  result = { exists: false, error: error.message }
}
console.log('VIGIL_ELECTRON ' + JSON.stringify(result))
`

/**
 * Asks a child Node process what `require('electron')` resolves to, and whether that file
 * exists. (In plain Node, the package's main export is the binary's path.)
 *
 * @returns {Promise<{ available: boolean, path?: string, reason?: string }>}
 */
export async function findElectronBinary(cwd) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  const result = await run(process.execPath, ['-e', PROBE], {
    cwd,
    env,
    capture: true,
    quiet: true,
    timeoutMs: 30_000,
  })
  const line = result.output.split(/\r?\n/).find((l) => l.startsWith('VIGIL_ELECTRON '))
  if (!line) return { available: false, reason: 'the electron package could not be loaded' }
  const probe = JSON.parse(line.slice('VIGIL_ELECTRON '.length))
  if (probe.exists) return { available: true, path: probe.path }
  if (probe.error) return { available: false, reason: probe.error.split('\n')[0] }
  return { available: false, path: probe.path, reason: `${probe.path} does not exist` }
}
