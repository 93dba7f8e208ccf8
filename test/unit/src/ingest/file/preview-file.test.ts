import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkFolder, fileFolders } from '../../../../../src/ingest/file/file-access'
import { previewFile } from '../../../../../src/ingest/file/preview-file'
import { makeTempDir } from '../../../../helpers/temp-dir'

const tmp = makeTempDir('vigil-preview-')
const allowed = join(tmp.dir, 'allowed')
mkdirSync(allowed)
const folders = [allowed]
afterAll(() => tmp.remove())

describe('previewing a file', () => {
  it('returns the first lines, the size and a guess', async () => {
    const path = join(allowed, 'a.csv')
    const rows = Array.from({ length: 50 }, (_, i) => `2020-03-09 10:14:${i % 60};${i};${i * 2}`)
    writeFileSync(path, ['datetime;a;b', ...rows].join('\r\n') + '\r\n')
    const p = await previewFile(path, folders, 5)
    expect(p.lines).toEqual(['datetime;a;b', ...rows.slice(0, 4)])
    expect(p.guess).toEqual({ kind: 'csv', delimiter: ';', header: ['datetime', 'a', 'b'] })
    expect(p.bytes).toBeGreaterThan(500)
  })

  it('reads only the start of a large file', async () => {
    const path = join(allowed, 'big.csv')
    writeFileSync(path, '1,2,3\n'.repeat(2_000_000))
    const p = await previewFile(path, folders, 200)
    expect(p.lines).toHaveLength(200)
    expect(p.bytes).toBe(12_000_000)
  })

  it('keeps a last line without a newline, and handles an empty file', async () => {
    const path = join(allowed, 'short.txt')
    writeFileSync(path, 'p=1 q=2\np=3 q=4')
    expect((await previewFile(path, folders)).lines).toEqual(['p=1 q=2', 'p=3 q=4'])
    writeFileSync(path, '')
    expect(await previewFile(path, folders)).toMatchObject({ bytes: 0, lines: [] })
  })

  it('says plainly when the file is missing, a folder, or not readable', async () => {
    await expect(previewFile(join(allowed, 'nope.csv'), folders)).rejects.toThrow(/File not found/)
    mkdirSync(join(allowed, 'folder'))
    await expect(previewFile(join(allowed, 'folder'), folders)).rejects.toThrow(
      /not a regular file/,
    )
    const locked = join(allowed, 'locked.csv')
    writeFileSync(locked, '1,2\n')
    chmodSync(locked, 0o000)
    // root reads anything: the check only means something for an ordinary user.
    if (process.getuid?.() !== 0) {
      await expect(previewFile(locked, folders)).rejects.toThrow(/No permission/)
    }
  })
})

describe('which files may be read', () => {
  const refusal = async (path: string) => {
    try {
      await previewFile(path, folders)
    } catch (err) {
      return err as { code: string; message: string }
    }
    throw new Error(`${path} was read`)
  }

  it('refuses files outside the allowed folders, without a word of their content', async () => {
    const secret = join(tmp.dir, 'secret.csv')
    writeFileSync(secret, 'root:$6$hash:19000\n')
    for (const path of [secret, '/etc/shadow', '/etc/passwd']) {
      const err = await refusal(path)
      expect(err.code).toBe('FORBIDDEN')
      expect(err.message).toContain('outside the folders')
      expect(err.message).not.toContain('root:')
    }
  })

  it('refuses a link that leads out of an allowed folder, and a relative path', async () => {
    const secret = join(tmp.dir, 'linked-secret.csv')
    writeFileSync(secret, 'x\n')
    symlinkSync(secret, join(allowed, 'innocent.csv'))
    expect((await refusal(join(allowed, 'innocent.csv'))).message).toContain('outside the folders')
    expect((await refusal(join(allowed, '..', 'linked-secret.csv'))).code).toBe('FORBIDDEN')
    expect((await refusal('allowed/a.csv')).code).toBe('INVALID_PARAMS')
  })

  it('refuses devices, pipes and system files even inside an allowed folder, without reading them', async () => {
    const fifo = join(allowed, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    // A pipe nobody writes to would block a read forever: this must return.
    expect((await refusal(fifo)).message).toMatch(/not a regular file/)
    expect((await refusal('/dev/urandom')).message).toMatch(/not a regular file/)
    symlinkSync('/dev/zero', join(allowed, 'zero.csv'))
    expect((await refusal(join(allowed, 'zero.csv'))).message).toMatch(/not a regular file/)
    const everything = ['/']
    await expect(previewFile('/proc/self/environ', everything)).rejects.toThrow(
      /not a regular file/,
    )
  })

  it('allows by default the data folder imports and the documents, and no system folder', () => {
    expect(fileFolders('/data', ['/mnt/logs'], '/home/op')).toEqual([
      '/data/imports',
      '/home/op/Documents',
      '/mnt/logs',
    ])
    expect(checkFolder('/mnt/logs')).toBeNull()
    expect(checkFolder('relative/logs')).toMatch(/full path/)
    for (const f of ['/', '/proc', '/sys/class', '/dev']) expect(checkFolder(f)).toMatch(/system/)
  })
})
