import type { MIN_PASSWORD_LENGTH as CONTRACT_MIN } from '@vigil/contract'

// A value import from the contract is not allowed here; the type keeps this copy honest.
/** The host refuses shorter passwords; the forms say so before sending. */
export const MIN_PASSWORD_LENGTH: typeof CONTRACT_MIN = 8
