// Child-process helpers for the setup and start scripts. Node built-ins only: setup runs
// before node_modules exists.
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { constants as osConstants } from 'node:os'

export const isWindows = process.platform === 'win32'

/** The npm and npx commands; on Windows they are .cmd files, which Node only spawns through a shell. */
export const npmCommand = isWindows ? 'npm.cmd' : 'npm'
export const npxCommand = isWindows ? 'npx.cmd' : 'npx'

const TAIL_BYTES = 64 * 1024

/**
 * Runs a command to completion.
 *
 * With `capture`, stdout and stderr are piped and their last 64 KiB kept in `output`; they are
 * also echoed unless `quiet`. Without it, the child shares this process's terminal. `timeoutMs`
 * ends the child with SIGTERM, then SIGKILL five seconds later.
 *
 * @returns {Promise<{ code: number | null, signal: string | null, timedOut: boolean, output: string, error?: Error }>}
 */
export function run(command, args, { cwd, env, timeoutMs, capture = false, quiet = false } = {}) {
  return new Promise((resolve) => {
    let output = ''
    let timedOut = false
    let settled = false
    const keep = (chunk, stream) => {
      if (!quiet) stream.write(chunk)
      output = (output + chunk.toString()).slice(-TAIL_BYTES)
    }
    const child = spawn(command, args, {
      cwd,
      env,
      shell: isWindows && /\.cmd$/i.test(command),
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    })
    if (capture) {
      child.stdout.on('data', (chunk) => keep(chunk, process.stdout))
      child.stderr.on('data', (chunk) => keep(chunk, process.stderr))
    }
    let killTimer
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            child.kill('SIGTERM')
            killTimer = setTimeout(() => child.kill('SIGKILL'), 5000)
          }, timeoutMs)
    const finish = (result) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(killTimer)
      resolve({ output, timedOut, ...result })
    }
    child.on('error', (error) => finish({ code: null, signal: null, error }))
    child.on('close', (code, signal) => finish({ code, signal }))
  })
}

/**
 * One line that says why a captured command failed: a line that names a specific error
 * (`[CODE] …`, `error TS…`, `SomeError: …`) if there is one, else the last error-looking
 * line, else the last line. Stack frames are skipped.
 */
export function failureReason(result) {
  if (result.error) return result.error.message
  if (result.timedOut) return 'timed out'
  const lines = result.output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('at '))
  const specific = lines.find((line) => /^\[[A-Z_]+\]\s|\berror TS\d+|^\w*Error: /.test(line))
  const general = lines.findLast((line) => /\b(error|err!|failed|fatal)\b/i.test(line))
  const line = (specific ?? general ?? lines.at(-1))?.slice(0, 240)
  const status = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`
  return line ? `${status}: ${line}` : status
}

/**
 * Why an npm command failed, from its `npm error` lines: the error code and the first few
 * messages, without the usage text and the pointer to the debug log.
 */
export function npmFailureReason(result) {
  const messages = []
  let code
  for (const line of result.output.split(/\r?\n/)) {
    const match = /^npm (?:error|ERR!)\s?(.*)$/.exec(line)
    if (!match) continue
    const text = match[1].trim()
    if (/^(Clean install a project|Usage:)/.test(text)) break
    if (!text || /^A complete log of this run/.test(text)) continue
    const codeMatch = /^code (\S+)$/.exec(text)
    if (codeMatch) code = codeMatch[1]
    else if (messages.length < 4) messages.push(text)
  }
  if (messages.length === 0) return failureReason(result)
  return `${code ? `${code}: ` : ''}${messages.join(' ')}`
}

/** The full path of an executable found on PATH, or undefined. */
export function which(name) {
  const extensions = isWindows ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : ['']
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    for (const extension of extensions) {
      const candidate = join(dir, name + extension)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

/** Whether a file exists and this user may execute it. */
export function isExecutable(path) {
  if (!existsSync(path)) return false
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Runs a long-lived child that shares this terminal's output, forwards SIGINT, SIGTERM and
 * SIGHUP to it, and resolves with the exit code this process should end with.
 *
 * On POSIX the child gets its own process group, so that it receives each signal exactly once
 * (from us) rather than also straight from the terminal: a second SIGINT often means "force
 * quit" to a program that is shutting down gracefully. The first signal is forwarded as is; a
 * repeat within two seconds is taken as the same request arriving twice (npm forwards signals
 * too) and dropped; a later one kills the child.
 */
export function runForeground(command, args, { cwd, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env,
      shell: isWindows && /\.cmd$/i.test(command),
      detached: !isWindows,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    let firstSignalAt
    const onSignal = (signal) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const now = Date.now()
      if (firstSignalAt === undefined) {
        firstSignalAt = now
        child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal)
      } else if (now - firstSignalAt > 2000) {
        child.kill('SIGKILL')
      }
    }
    const signals = isWindows ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP']
    for (const signal of signals) process.on(signal, onSignal)
    // If this process ends first (an uncaught error), do not leave the child running unowned.
    const onExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    }
    process.on('exit', onExit)
    const done = (code) => {
      for (const signal of signals) process.off(signal, onSignal)
      process.off('exit', onExit)
      resolve(code)
    }
    child.on('error', (error) => {
      console.error(`Could not start ${command}: ${error.message}`)
      done(1)
    })
    child.on('exit', (code, signal) => {
      done(code ?? 128 + (osConstants.signals[signal] ?? 0))
    })
  })
}
