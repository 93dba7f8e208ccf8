/** Failed sign-ins in a row before an account is locked for a while. */
export const FREE_ATTEMPTS = 5
const FIRST_LOCK_MS = 30_000
const MAX_LOCK_MS = 15 * 60_000

/**
 * How long an account stays locked after `failures` failed sign-ins in a row: nothing for the
 * first few (typos), then 30 s, doubling with every further failure up to 15 minutes. Enough to
 * make guessing hopeless, short enough that a locked-out operator is not stuck for a shift.
 */
export function lockDurationMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS))
}
