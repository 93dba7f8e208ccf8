import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { previewFile } from '../src/ingest/file/preview-file'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const ROUNDS = 200

/** Milliseconds of each of `rounds` calls, sorted. */
async function timings(rounds: number, run: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    await run().catch(() => undefined)
    out.push(performance.now() - started)
  }
  return out.sort((a, b) => a - b)
}

/**
 * How fast a preview a file may not be read from is refused (a system file outside the allowed
 * folders, a pipe nobody writes to, a device), beside an allowed preview: the refusal must never
 * wait on the file. Prints the median and the 99th percentile per case.
 */
export async function benchFileRefusal(context: Record<string, unknown>): Promise<void> {
  const tmp = makeTempDir('vigil-bench-refusal-')
  try {
    const allowed = join(tmp.dir, 'imports')
    mkdirSync(allowed)
    const fifo = join(allowed, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    const csv = join(allowed, 'big.csv')
    writeFileSync(csv, '1,2,3\n'.repeat(2_000_000))
    const cases: Record<string, string> = {
      'etc-shadow': '/etc/shadow',
      fifo,
      'dev-urandom': '/dev/urandom',
      'allowed-12mb-csv': csv,
    }
    for (const [name, path] of Object.entries(cases)) {
      const ms = await timings(ROUNDS, () => previewFile(path, [allowed], 20))
      const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] ?? NaN
      report(`files.preview.${name}.p50_ms`, at(0.5), 'ms', { ...context, rounds: ROUNDS })
      report(`files.preview.${name}.p99_ms`, at(0.99), 'ms', { ...context, rounds: ROUNDS })
    }
  } finally {
    tmp.remove()
  }
}
