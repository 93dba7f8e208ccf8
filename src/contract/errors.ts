/** Error codes that cross the process and network boundary. */
export type ErrorCode =
  | 'INVALID_PARAMS'
  | 'UNKNOWN_METHOD'
  /** No valid session: sign in (again). */
  | 'UNAUTHENTICATED'
  /** Signed in, but the role is not enough. */
  | 'FORBIDDEN'
  /** Signing in is refused for a while after failed attempts. */
  | 'TOO_MANY_ATTEMPTS'
  | 'NOT_AVAILABLE'
  | 'NOT_FOUND'
  | 'INTERNAL'

export interface ErrorData {
  code: ErrorCode
  message: string
  /** Which fields were wrong, for INVALID_PARAMS. */
  issues?: string[]
}

/**
 * Every call returns an envelope: errors travel as data because a rejected IPC invoke loses
 * the error's name and fields.
 */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorData }

/** A typed error raised by the core; the dispatcher turns it into an error envelope. */
export class VigilError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: string[],
  ) {
    super(message)
    this.name = 'VigilError'
  }

  toData(): ErrorData {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message }
  }
}
