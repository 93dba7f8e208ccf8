import type { FilePreview } from '../../contract'
import { openAllowedFile, withinTime } from './file-access'
import { guessFormat } from './guess-format'

/** Enough for 200 lines of a wide CSV; the rest of the file is never read. */
const PREVIEW_BYTES = 256 * 1024
/** A file on a hung network share must not hold the call (or a worker thread) forever. */
const PREVIEW_TIME_MS = 10_000

/**
 * The first `maxLines` lines of a file and a guess at their format, for the import and source
 * dialogs. Only regular files inside `folders` (see `openAllowedFile`); reads at most the first
 * 256 KiB, so a multi-gigabyte file previews instantly. Throws a `VigilError` in plain words.
 */
export async function previewFile(
  path: string,
  folders: readonly string[],
  maxLines = 20,
): Promise<FilePreview> {
  const { handle, size } = await openAllowedFile(path, folders)
  let head: Buffer
  try {
    const buffer = Buffer.alloc(Math.min(PREVIEW_BYTES, Math.max(0, size)))
    const { bytesRead } = await withinTime(
      PREVIEW_TIME_MS,
      `Reading ${path}`,
      handle.read(buffer, 0, buffer.length, 0),
    )
    head = buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
  const text = head.toString('utf8').replace(/^\ufeff/, '')
  const parts = text.split('\n')
  // The last piece may be cut mid-line by the byte limit: keep it only when the file ended.
  if (head.length < size || parts[parts.length - 1] === '') parts.pop()
  const lines = parts.slice(0, maxLines).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
  return { path, bytes: size, lines, guess: guessFormat(lines) }
}
