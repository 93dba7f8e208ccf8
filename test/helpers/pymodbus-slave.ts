import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { SlaveMap } from './rtu-device'

const SCRIPT = fileURLToPath(new URL('./pymodbus-slave.py', import.meta.url))

/**
 * Debian's python3-pymodbus lives in the system Python; a python3 earlier on PATH (pyenv, a
 * venv) does not see it. VIGIL_PYTHON overrides.
 */
export const PYTHON =
  process.env.VIGIL_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')

export interface PymodbusOptions {
  path: string
  baudRate?: number
  slaves: Record<number, SlaveMap>
  /** Where `dump()` writes the time stamps of every request and answer. */
  tracePath?: string
}

/** One event of the slave's trace: request bytes arriving, or an answer handed to the port. */
export interface TraceEvent {
  dir: 'rx' | 'tx'
  ns: bigint
  bytes: number
}

/**
 * A pymodbus RTU slave process on one end of a pty pair, driven by its stdin commands. The
 * slave's side always opens 8N1: a pty carries bytes, not bits, so parity changes nothing on
 * it, and pyserial cannot set parity on a pty (tcsetattr refuses). The master's settings still
 * decide its character time.
 */
export interface PymodbusSlave {
  /** Damages the CRC of the next `n` answers. */
  corrupt(n: number): Promise<void>
  /** Stops (and starts) answering for one slave id. */
  mute(slaveId: number): Promise<void>
  unmute(slaveId: number): Promise<void>
  /** The trace so far, read back from `tracePath`. */
  trace(): Promise<TraceEvent[]>
  /** Ends the process (SIGTERM) and waits for it: the devices are switched off. */
  stop(): Promise<void>
  /** A new process with the same settings: the devices are back. */
  restart(): Promise<void>
}

/** Starts the slave and waits until its port is open. */
export async function startPymodbusSlave(opts: PymodbusOptions): Promise<PymodbusSlave> {
  let child: ChildProcess | null = null
  let waiting: { prefix: string; resolve: () => void; reject: (e: Error) => void }[] = []
  const expect = (prefix: string) =>
    new Promise<void>((resolve, reject) => waiting.push({ prefix, resolve, reject }))

  const start = async () => {
    const args = [
      SCRIPT,
      '--port',
      opts.path,
      '--baud',
      String(opts.baudRate ?? 19_200),
      '--map',
      JSON.stringify(opts.slaves),
      ...(opts.tracePath ? ['--trace', opts.tracePath] : []),
    ]
    const proc = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    child = proc
    let stderr = ''
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const at = waiting.findIndex((w) => line.startsWith(w.prefix))
      const w = waiting[at]
      if (w) {
        waiting.splice(at, 1)
        w.resolve()
      } else if (line.startsWith('error')) {
        waiting.forEach((x) => x.reject(new Error(`pymodbus slave: ${line}`)))
        waiting = []
      }
    })
    proc.once('exit', (code) => {
      const why = /No module named 'pymodbus'/.test(stderr)
        ? `${PYTHON} has no pymodbus: install python3-pymodbus (npm run setup does, on Debian)`
        : `pymodbus slave exited (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`
      waiting.forEach((x) => x.reject(new Error(why)))
      waiting = []
    })
    await expect('ready')
  }
  const send = (line: string) => {
    const done = expect(`ok ${line}`)
    child?.stdin?.write(`${line}\n`)
    return done
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      const proc = child
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve()
      proc.once('exit', () => resolve())
      proc.kill('SIGTERM')
    })

  await start()
  return {
    corrupt: (n) => send(`corrupt ${n}`),
    mute: (id) => send(`mute ${id}`),
    unmute: (id) => send(`unmute ${id}`),
    trace: async () => {
      if (!opts.tracePath) throw new Error('no tracePath given')
      await send('dump')
      return parseTrace(readFileSync(opts.tracePath, 'ascii'))
    },
    stop,
    restart: start,
  }
}

function parseTrace(text: string): TraceEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [dir, ns, bytes] = l.split(' ')
      return { dir: dir === 'tx' ? 'tx' : 'rx', ns: BigInt(ns ?? '0'), bytes: Number(bytes) }
    })
}

/**
 * The silence before each request that followed an answer, in ms, as the slave saw it: from the
 * moment its answer was handed to the port to the first bytes of the next request.
 */
export function silencesBeforeRequests(trace: readonly TraceEvent[]): number[] {
  const gaps: number[] = []
  let answeredAt: bigint | null = null
  for (const e of trace) {
    if (e.dir === 'tx') answeredAt = e.ns
    else if (answeredAt !== null) {
      gaps.push(Number(e.ns - answeredAt) / 1e6)
      answeredAt = null
    }
  }
  return gaps
}
