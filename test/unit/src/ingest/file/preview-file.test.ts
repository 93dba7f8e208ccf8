import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { previewFile } from '../../../../../src/ingest/file/preview-file'
import { makeTempDir } from '../../../../helpers/temp-dir'

const tmp = makeTempDir('vigil-preview-')
afterAll(() => tmp.remove())

describe('previewing a file', () => {
  it('returns the first lines, the size and a guess', async () => {
    const path = join(tmp.dir, 'a.csv')
    const rows = Array.from({ length: 50 }, (_, i) => `2020-03-09 10:14:${i % 60};${i};${i * 2}`)
    writeFileSync(path, ['datetime;a;b', ...rows].join('\r\n') + '\r\n')
    const p = await previewFile(path, 5)
    expect(p.lines).toEqual(['datetime;a;b', ...rows.slice(0, 4)])
    expect(p.guess).toEqual({ kind: 'csv', delimiter: ';', header: ['datetime', 'a', 'b'] })
    expect(p.bytes).toBeGreaterThan(500)
  })

  it('reads only the start of a large file', async () => {
    const path = join(tmp.dir, 'big.csv')
    writeFileSync(path, '1,2,3\n'.repeat(2_000_000))
    const p = await previewFile(path, 200)
    expect(p.lines).toHaveLength(200)
    expect(p.bytes).toBe(12_000_000)
  })

  it('keeps a last line without a newline, and handles an empty file', async () => {
    const path = join(tmp.dir, 'short.txt')
    writeFileSync(path, 'p=1 q=2\np=3 q=4')
    expect((await previewFile(path)).lines).toEqual(['p=1 q=2', 'p=3 q=4'])
    writeFileSync(path, '')
    expect(await previewFile(path)).toMatchObject({ bytes: 0, lines: [] })
  })

  it('says plainly when the file is missing, a folder, or not readable', async () => {
    await expect(previewFile(join(tmp.dir, 'nope.csv'))).rejects.toThrow(/File not found/)
    mkdirSync(join(tmp.dir, 'folder'))
    await expect(previewFile(join(tmp.dir, 'folder'))).rejects.toThrow(/is a folder/)
    const locked = join(tmp.dir, 'locked.csv')
    writeFileSync(locked, '1,2\n')
    chmodSync(locked, 0o000)
    // root reads anything: the check only means something for an ordinary user.
    if (process.getuid?.() !== 0) {
      await expect(previewFile(locked)).rejects.toThrow(/No permission/)
    }
  })
})
