import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from '@playwright/test'
import type { Role } from '../../../src/contract'
import { SESSION_COOKIE } from '../../../src/host/session-token'
import { spawnHost } from '../../helpers/spawn-host'
import { makeTempDir } from '../../helpers/temp-dir'
import { TEST_PASSWORD } from '../../helpers/callers'
import { engineerOn, signInWeb, type WebSession } from '../../helpers/web-session'

const RENDERER_INDEX = fileURLToPath(new URL('../../../out/renderer/index.html', import.meta.url))

/** How long a host gets to write what is pending and exit before it is killed. */
const STOP_GRACE_MS = 10_000

/** The accounts every UI spec gets (password: TEST_PASSWORD), by role. */
export const ACCOUNTS: Record<Role, string> = {
  engineer: 'Erik Engineer',
  operator: 'Olga Operator',
  viewer: 'Wall Viewer',
}

export interface E2eHost {
  /** The origin the host serves the renderer on, e.g. `http://127.0.0.1:41234`. */
  url: string
  dataDir: string
  /** Everything the host printed, for failure messages. */
  output(): string
  /** A signed-in API caller (a fresh session of that account). */
  as(name: string): Promise<WebSession>
  /** Signs the page in as that account (its session cookie), without the sign-in form. */
  signIn(page: Page, name: string): Promise<void>
  /** Stops the host (SIGTERM, then SIGKILL) and removes its data folder. */
  stop(): Promise<void>
}

/**
 * Starts `vigil serve` on a free port with a fresh data folder, as a user would, and waits until
 * it says where it listens. Unless `setUp` is false, the first-run link makes the engineer of
 * ACCOUNTS, who adds the operator and the viewer. The renderer must be built first
 * (`npm run test:e2e` does it).
 */
export async function startHost(
  options: {
    demo?: boolean
    /** Puts files in the fresh data folder before the host starts (a damaged database). */
    prepare?: (dataDir: string) => void
    /** False: leave the host at its first run (no accounts). */
    setUp?: boolean
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
  if (options.setUp !== false) {
    const engineer = await engineerOn(spawned, ACCOUNTS.engineer)
    for (const role of ['operator', 'viewer'] as const)
      await engineer.call('saveUser', {
        name: ACCOUNTS[role],
        role,
        password: TEST_PASSWORD,
      })
  }
  const as = (name: string) => signInWeb(spawned.url, name)
  return {
    url: spawned.url,
    dataDir: temp.dir,
    output: spawned.output,
    as,
    async signIn(page: Page, name: string) {
      const { token } = await as(name)
      await page.context().clearCookies()
      await page.context().addCookies([{ name: SESSION_COOKIE, value: token, url: spawned.url }])
    },
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
