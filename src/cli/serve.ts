import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startServer, type RunningServer } from '../host/server'
import { createLogger } from '../log/logger'
import { DEMO_HISTORY_MS } from '../ingest/demo-plant/demo-config'
import { Monitor } from '../monitor/monitor'
import { defaultDataDir } from '../platform/data-dir'
import { lockDataDir } from '../platform/data-dir-lock'
import type { ServeArgs } from './args'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))

function readTls(tls: NonNullable<ServeArgs['tls']>): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file)
    } catch (err) {
      throw new Error(`Cannot read the TLS ${what} ${file}: ${(err as Error).message}`, {
        cause: err,
      })
    }
  }
  return { cert: read(tls.cert, 'certificate'), key: read(tls.key, 'key') }
}

/** `vigil serve`: runs until SIGINT/SIGTERM, then writes what is pending and exits. */
export async function serve(args: ServeArgs): Promise<void> {
  const dataDir = args.dataDir ?? defaultDataDir()
  const tls = args.tls ? readTls(args.tls) : undefined
  // The lock before anything else: a start refused because Vigil already runs on this folder
  // must not touch the running one's files (not even rotate its log).
  const unlock = lockDataDir(dataDir)
  const logger = createLogger({ dataDir, console: true })
  let monitor: Monitor
  try {
    monitor = await Monitor.create({
      dataDir,
      host: 'server',
      demo: args.demo ? { historyMs: DEMO_HISTORY_MS } : false,
      logger,
      unlock,
    })
  } catch (err) {
    unlock()
    await logger.close()
    throw err
  }
  let server: RunningServer
  try {
    server = await startServer({
      monitor,
      host: args.host,
      port: args.port,
      staticDir: RENDERER_DIR,
      logger,
      allowHosts: args.allowHosts,
      tls,
    })
  } catch (err) {
    await monitor.close()
    await logger.close()
    throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new Error(
          `Port ${args.port} on ${args.host} is already in use (is Vigil already running?). Choose another with --port.`,
        )
      : err
  }
  const setupToken = monitor.auth.firstRunToken()
  // As notebook servers do: a link that works once, from a browser on this computer. Written
  // in one piece with the address, so whoever reads the address has the link too.
  const setup = setupToken
    ? `\nVigil has no accounts yet. Open this link once to create the first engineer account:\n` +
      `  ${server.url}/#/setup?token=${setupToken}\n` +
      `(or create one with: vigil users add NAME --role engineer)\n\n`
    : ''
  process.stdout.write(
    `${setup}Vigil listening on ${server.url}\n` +
      `Data folder: ${dataDir}${args.demo ? ' (demo plant running)' : ''}\n`,
  )

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info(`${signal}: shutting down`)
    void (async () => {
      let code = 0
      try {
        await server.close()
        await monitor.close()
      } catch (err) {
        logger.error('shutdown failed', err)
        code = 1
      }
      await logger.close()
      process.exit(code)
    })()
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}
