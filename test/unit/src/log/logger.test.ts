import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../../src/log/logger'
import { makeTempDir } from '../../../helpers/temp-dir'

let tmp: ReturnType<typeof makeTempDir> | undefined
afterEach(() => tmp?.remove())

async function closeAndRead(
  logger: ReturnType<typeof createLogger>,
  file: string,
): Promise<string> {
  await logger.close()
  return readFileSync(file, 'utf8')
}

describe('createLogger', () => {
  it('writes scoped lines at or above its level to logs/vigil.log in the data folder', async () => {
    tmp = makeTempDir()
    const logger = createLogger({ dataDir: tmp.dir, level: 'info' })
    logger.scope('historian').info('opened', { file: 'vigil.db' })
    logger.scope('serial').debug('too chatty')
    logger.scope('host').error('failed', new Error('boom'))
    const text = await closeAndRead(logger, join(tmp.dir, 'logs', 'vigil.log'))
    expect(text).toMatch(/INFO \[historian\] opened \{"file":"vigil.db"\}/)
    expect(text).toMatch(/ERROR \[host\] failed Error: boom/)
    expect(text).not.toContain('too chatty')
  })

  it('sets a log over the size limit aside at start-up, keeping one previous file', async () => {
    tmp = makeTempDir()
    mkdirSync(join(tmp.dir, 'logs'))
    writeFileSync(join(tmp.dir, 'logs', 'vigil.log'), 'x'.repeat(2000))
    const logger = createLogger({ dataDir: tmp.dir, maxBytes: 1000 })
    logger.info('fresh start')
    const text = await closeAndRead(logger, join(tmp.dir, 'logs', 'vigil.log'))
    expect(text).toContain('fresh start')
    expect(text).not.toContain('xxx')
    expect(existsSync(join(tmp.dir, 'logs', 'vigil.1.log'))).toBe(true)
  })
})
