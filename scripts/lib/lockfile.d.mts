// Types of lockfile.mjs (plain JavaScript, so that setup runs it before node_modules exists).
export interface LockProblem {
  entry: string
  problem: string
}
export const LOCK_REGENERATE_ARGS: string[]
export const LOCK_FIX_COMMAND: string
export function checkLockfile(pkg: unknown, lock: unknown): LockProblem[]
export function parseVersion(text: string): [number, number, number, string] | undefined
export function satisfies(version: string, spec: string): boolean | undefined
export function describeLockProblems(problems: LockProblem[]): string[]
export function withoutVersionlessEntries<T extends { packages?: Record<string, unknown> }>(
  lock: T,
): T
