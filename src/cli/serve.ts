import { fileURLToPath } from 'node:url'
import { startServer, type RunningServer } from '../host/server'
import { createLogger } from '../log/logger'
import { DEMO_HISTORY_MS } from '../ingest/demo-plant/demo-config'
import { Monitor } from '../monitor/monitor'
import { defaultDataDir } from '../platform/data-dir'
import type { ServeArgs } from './args'

const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url))

/** `vigil serve`: runs until SIGINT/SIGTERM, then writes what is pending and exits. */
export async function serve(args: ServeArgs): Promise<void> {
  const dataDir = args.dataDir ?? defaultDataDir()
  const logger = createLogger({ dataDir, console: true })
  const monitor = await Monitor.create({
    dataDir,
    host: 'server',
    demo: args.demo ? { historyMs: DEMO_HISTORY_MS } : false,
    logger,
  })
  let server: RunningServer
  try {
    server = await startServer({
      monitor,
      host: args.host,
      port: args.port,
      staticDir: RENDERER_DIR,
      logger,
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
  process.stdout.write(`Vigil listening on ${server.url}\n`)
  process.stdout.write(`Data folder: ${dataDir}${args.demo ? ' (demo plant running)' : ''}\n`)

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
