import { createWriteStream } from 'node:fs'

/** A device on the far end of a pty: writes one line every `everyMs` until stopped. */
export interface SerialFeed {
  stop(): Promise<void>
}

/**
 * Writes `line(n)` to the terminal at `path` every `everyMs`, as a logger on a serial cable
 * would. Errors (the other end not open yet) are ignored: a real device does not wait either.
 */
export function startSerialFeed(
  path: string,
  line: (n: number) => string,
  everyMs = 200,
): SerialFeed {
  const out = createWriteStream(path, { flags: 'w' })
  out.on('error', () => {})
  let n = 0
  const timer = setInterval(() => {
    out.write(`${line(n++)}\n`)
  }, everyMs)
  return {
    stop: () =>
      new Promise((resolve) => {
        clearInterval(timer)
        out.end(() => resolve())
      }),
  }
}
