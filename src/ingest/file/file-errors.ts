import { VigilError } from '../../contract'

/** A file system error about `path`, in words an engineer can act on. */
export function explainFileError(err: unknown, path: string): VigilError {
  const code = (err as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ENOENT':
      return new VigilError('NOT_FOUND', `File not found: ${path}`)
    case 'EISDIR':
      return new VigilError('INVALID_PARAMS', `${path} is a folder, not a file`)
    case 'EACCES':
    case 'EPERM':
      return new VigilError('FORBIDDEN', `No permission to read ${path}`)
    default:
      return new VigilError(
        'INTERNAL',
        `Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`,
      )
  }
}
