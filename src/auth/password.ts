import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, VigilError } from '../contract'

/**
 * scrypt, memory-hard: N = 2^15, r = 8 takes 32 MiB and tens of milliseconds per guess, which
 * makes an offline attack on a stolen database slow. It runs on libuv's thread pool, so a
 * sign-in never stalls the process. The parameters are stored with each hash, so they can be
 * raised later without breaking existing passwords.
 */
const COST_LOG2 = 15
const BLOCK_SIZE = 8
const PARALLEL = 1
const KEY_BYTES = 32
const SALT_BYTES = 16
const MAX_MEM = 64 * 1024 * 1024

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

/** `scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, salt and key in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, {
    N: 2 ** COST_LOG2,
    r: BLOCK_SIZE,
    p: PARALLEL,
    maxmem: MAX_MEM,
  })
  return [
    'scrypt',
    COST_LOG2,
    BLOCK_SIZE,
    PARALLEL,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$')
}

/** Whether `password` matches `stored`; false for anything malformed. Constant-time compare. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, logN, r, p, salt, key] = stored.split('$')
  if (kind !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const n = 2 ** Number(logN)
  if (!Number.isInteger(n) || n < 2 || expected.length === 0) return false
  const got = await derive(password, Buffer.from(salt, 'base64'), {
    N: n,
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEM,
  })
  return got.length === expected.length && timingSafeEqual(got, expected)
}

let dummy: Promise<string> | null = null

/**
 * A hash to check against when the name is unknown, so a wrong name costs as long as a wrong
 * password and the answer time does not tell which names exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(12).toString('base64'))
  return dummy
}

/** Refuses a password too short, too long or equal to the name. */
export function checkNewPassword(name: string, password: string): void {
  const issues: string[] = []
  if (password.length < MIN_PASSWORD_LENGTH)
    issues.push(`password: at least ${MIN_PASSWORD_LENGTH} characters`)
  if (password.length > MAX_PASSWORD_LENGTH)
    issues.push(`password: at most ${MAX_PASSWORD_LENGTH} characters`)
  if (password.trim().toLowerCase() === name.trim().toLowerCase())
    issues.push('password: must not be the user name')
  if (issues.length)
    throw new VigilError(
      'INVALID_PARAMS',
      `The password is not acceptable: ${issues.join('; ')}`,
      issues,
    )
}
