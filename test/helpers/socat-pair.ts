import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'

/** A connected pair of pseudo-terminals from socat: a serial cable on one machine. */
export interface SocatPair {
  a: string
  b: string
  /** Pulls the cable: socat dies without cleaning up, as a yanked adapter would. */
  kill(): Promise<void>
  /** Plugs it back in: the same names, fresh terminals. */
  restart(): Promise<void>
}

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function startSocatPair(dir: string): Promise<SocatPair> {
  const a = join(dir, 'ttyA')
  const b = join(dir, 'ttyB')
  let child: ChildProcess | null = null
  const start = async () => {
    rmSync(a, { force: true })
    rmSync(b, { force: true })
    child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      stdio: 'ignore',
    })
    await waitFor(() => existsSync(a) && existsSync(b), 'socat ptys')
  }
  await start()
  return {
    a,
    b,
    kill: () =>
      new Promise((resolve) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
    restart: start,
  }
}
