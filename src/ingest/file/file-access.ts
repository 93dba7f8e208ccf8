import { constants } from 'node:fs'
import { open, realpath, type FileHandle } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import { VigilError } from '../../contract'
import { explainFileError } from './file-errors'

/** Where files come from unless an engineer allowed more: the data folder's `imports/`. */
export const IMPORTS_FOLDER = 'imports'

/** Kernel and device trees: never data, even when they look like regular files. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev']

/**
 * The folders files may be read from: the data folder's `imports/`, the user's documents, and
 * whatever an engineer added.
 */
export function fileFolders(
  dataDir: string,
  extra: readonly string[],
  home: string = homedir(),
): string[] {
  return [join(dataDir, IMPORTS_FOLDER), join(home, 'Documents'), ...extra]
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..')
}

async function realFolders(folders: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const f of folders) {
    try {
      out.push(await realpath(f))
    } catch {
      // A folder that does not exist holds no files.
    }
  }
  return out
}

/** Refuses a folder an engineer may not allow: relative ones and the system trees. */
export function checkFolder(folder: string): string | null {
  if (!isAbsolute(folder)) return `${folder}: give the full path of the folder`
  if (SYSTEM_ROOTS.some((root) => isInside(folder, root)) || relative('/', folder) === '')
    return `${folder}: system folders cannot be allowed`
  return null
}

/**
 * Opens a file for reading if, and only if, it is a regular file inside one of `folders`
 * (after following links). Opened without blocking and checked on the open descriptor, so a
 * pipe or device swapped in after the check cannot hang the host. Errors name the path and the
 * reason, never any content.
 */
export async function openAllowedFile(
  path: string,
  folders: readonly string[],
): Promise<{ handle: FileHandle; size: number; ino: number }> {
  if (!isAbsolute(path))
    throw new VigilError('INVALID_PARAMS', `Give the full path of the file, not "${path}".`, [
      'path: must be a full (absolute) path',
    ])
  let real: string
  try {
    real = await realpath(path)
  } catch (err) {
    throw explainFileError(err, path)
  }
  if (SYSTEM_ROOTS.some((root) => isInside(real, root))) throw notRegular(path)
  const allowed = await realFolders(folders)
  if (!allowed.some((f) => isInside(real, f)))
    throw new VigilError(
      'FORBIDDEN',
      `${path} is outside the folders files may be read from (${folders.join(', ')}). Copy it into one of them, or ask an engineer to allow its folder on the Users page.`,
    )
  let handle: FileHandle
  try {
    handle = await open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (err) {
    throw explainFileError(err, path)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw notRegular(path)
    return { handle, size: info.size, ino: info.ino }
  } catch (err) {
    await handle.close()
    throw err instanceof VigilError ? err : explainFileError(err, path)
  }
}

/**
 * Checks a file source's path when it is saved: an existing file must pass `openAllowedFile`; a
 * file that does not exist yet (a log to be followed) must at least be meant for an allowed
 * folder. The full check runs again at every open.
 */
export async function checkFileSourcePath(path: string, folders: readonly string[]): Promise<void> {
  try {
    const { handle } = await openAllowedFile(path, folders)
    await handle.close()
  } catch (err) {
    if (!(err instanceof VigilError) || err.code !== 'NOT_FOUND') throw err
    const allowed = await realFolders(folders)
    if (!allowed.some((f) => isInside(path, f)) && !folders.some((f) => isInside(path, f)))
      throw new VigilError(
        'FORBIDDEN',
        `${path} is outside the folders files may be read from (${folders.join(', ')}).`,
      )
  }
}

function notRegular(path: string): VigilError {
  return new VigilError(
    'FORBIDDEN',
    `${path} is not a regular file (a device, a pipe, a folder or a system file): only regular files can be read.`,
  )
}

/** Runs `work`, refusing it with a plain message if it takes longer than `ms`. */
export async function withinTime<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new VigilError(
            'NOT_AVAILABLE',
            `${what} took longer than ${Math.round(ms / 1000)} s and was stopped.`,
          ),
        ),
      ms,
    )
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
