import type { ErrorCode, ErrorData } from '@vigil/contract'

/** Failures on the renderer's side of the wire, before the host could answer. */
export type TransportErrorCode = 'DISCONNECTED' | 'TIMEOUT'

/** Raised by a transport when a call could not be delivered or answered. */
export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

/**
 * The one error type components and stores see: host errors rebuilt from the envelope, and
 * transport failures, with the same fields.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | TransportErrorCode | 'TRANSPORT',
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }

  static fromData(data: ErrorData): ApiError {
    return new ApiError(data.code, data.message, data.issues ?? [])
  }

  static fromFailure(method: string, err: unknown): ApiError {
    if (err instanceof ApiError) return err
    if (err instanceof TransportError) return new ApiError(err.code, err.message)
    const reason = err instanceof Error ? err.message : String(err)
    return new ApiError('TRANSPORT', `Calling "${method}" failed: ${reason}`)
  }
}
