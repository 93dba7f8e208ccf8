import { hashPassword, verifyPassword } from '../src/auth/password'
import { report } from './report'

const ROUNDS = 20

/**
 * What a sign-in costs: one scrypt verification (N = 2^15, r = 8, 32 MiB), on libuv's thread
 * pool. The figure is the price a guesser pays per guess too; the process keeps running meanwhile.
 */
export async function benchAuth(context: Record<string, unknown>): Promise<void> {
  const stored = await hashPassword('a plant password')
  const ms: number[] = []
  let stall = 0
  for (let i = 0; i < ROUNDS; i++) {
    // How late a 1 ms timer fires while a verification runs: the event loop's stall.
    let last = performance.now()
    const tick = setInterval(() => {
      const now = performance.now()
      stall = Math.max(stall, now - last)
      last = now
    }, 1)
    const started = performance.now()
    await verifyPassword('a plant password', stored)
    ms.push(performance.now() - started)
    clearInterval(tick)
  }
  ms.sort((a, b) => a - b)
  report('auth.verify_password.p50_ms', ms[Math.floor(ms.length / 2)] ?? NaN, 'ms', {
    ...context,
    rounds: ROUNDS,
  })
  report('auth.verify_password.event_loop_stall_max_ms', stall, 'ms', context)
}
