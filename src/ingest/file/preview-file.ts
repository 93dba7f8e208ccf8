import { open, stat } from 'node:fs/promises'
import type { FilePreview } from '../../contract'
import { explainFileError } from './file-errors'
import { guessFormat } from './guess-format'

/** Enough for 200 lines of a wide CSV; the rest of the file is never read. */
const PREVIEW_BYTES = 256 * 1024

/**
 * The first `maxLines` lines of a file and a guess at their format, for the import and source
 * dialogs. Reads at most the first 256 KiB, so a multi-gigabyte file previews instantly.
 * Throws a `VigilError` in plain words for a missing file, a folder or a file it may not read.
 */
export async function previewFile(path: string, maxLines = 20): Promise<FilePreview> {
  let bytes: number
  let head: Buffer
  try {
    const info = await stat(path)
    if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' })
    bytes = info.size
    const handle = await open(path, 'r')
    try {
      const buffer = Buffer.alloc(Math.min(PREVIEW_BYTES, Math.max(0, bytes)))
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      head = buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  } catch (err) {
    throw explainFileError(err, path)
  }
  const text = head.toString('utf8').replace(/^\ufeff/, '')
  const parts = text.split('\n')
  // The last piece may be cut mid-line by the byte limit: keep it only when the file ended.
  if (head.length < bytes || parts[parts.length - 1] === '') parts.pop()
  const lines = parts.slice(0, maxLines).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  return { path, bytes, lines, guess: guessFormat(lines) }
}
