import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { spawnHost } from '../../helpers/spawn-host'
import { makeTempDir } from '../../helpers/temp-dir'

const RENDERER_INDEX = fileURLToPath(new URL('../../../out/renderer/index.html', import.meta.url))

/** How long a host gets to write what is pending and exit before it is killed. */
const STOP_GRACE_MS = 10_000

export interface E2eHost {
  /** The origin the host serves the renderer on, e.g. `http://127.0.0.1:41234`. */
  url: string
  dataDir: string
  /** Everything the host printed, for failure messages. */
  output(): string
  /** Stops the host (SIGTERM, then SIGKILL) and removes its data folder. */
  stop(): Promise<void>
}

/**
 * Starts `vigil serve` on a free port with a fresh data folder, as a user would, and waits until
 * it says where it listens. The renderer must be built first (`npm run test:e2e` does it).
 */
export async function startHost(
  options: {
    demo?: boolean
    /** Puts files in the fresh data folder before the host starts (a damaged database). */
    prepare?: (dataDir: string) => void
  } = {},
): Promise<E2eHost> {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`The renderer is not built (${RENDERER_INDEX}). Run: npm run build:web`)
  }
  const temp = makeTempDir('vigil-e2e-')
  const args = ['--data-dir', temp.dir, ...(options.demo === false ? [] : ['--demo'])]
  let host
  try {
    options.prepare?.(temp.dir)
    host = await spawnHost(args)
  } catch (err) {
    temp.remove()
    throw err
  }
  const spawned = host
  return {
    url: spawned.url,
    dataDir: temp.dir,
    output: spawned.output,
    async stop() {
      const killer = setTimeout(() => spawned.child.kill('SIGKILL'), STOP_GRACE_MS)
      try {
        await spawned.stop('SIGTERM')
      } finally {
        clearTimeout(killer)
        temp.remove()
      }
    },
  }
}
