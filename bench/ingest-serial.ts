import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { lineFormatSchema } from '../src/contract'
import { SerialLineSource } from '../src/ingest/serial/serial-line-source'
import { systemClock } from '../src/platform/clock'
import { testSensor } from '../test/helpers/historian-fixtures'
import { startSocatPair } from '../test/helpers/socat-pair'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const BAUD = 921_600
const SECONDS = 8
const WRITER = fileURLToPath(new URL('./serial-writer.mjs', import.meta.url))

/**
 * A 921,600-baud stream of CSV lines over a real pty pair, read by a serial line source: the
 * share of one core this process spends, and whether every line arrived.
 */
export async function benchIngestSerial(context: Record<string, unknown>): Promise<void> {
  const tmp = makeTempDir('vigil-bench-serial-')
  const pair = await startSocatPair(tmp.dir)
  let lines = 0
  let lastSeq = -1
  let lostOrReordered = 0
  const source = new SerialLineSource({
    id: 'bench',
    name: 'bench',
    settings: { path: pair.a, baudRate: BAUD, dataBits: 8, parity: 'none', stopBits: 1 },
    format: lineFormatSchema.parse({
      kind: 'csv',
      columns: [0, 1, 2, 3].map((index) => ({ index, sensorId: `s${index}` })),
    }),
    sensors: [0, 1, 2, 3].map((i) => testSensor(`s${i}`)),
    clock: systemClock,
  })
  source.start((samples) => {
    lines++
    const seq = samples[0]?.value ?? -1
    if (seq !== lastSeq + 1) lostOrReordered++
    lastSeq = seq
  })
  await new Promise((r) => setTimeout(r, 500))
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const writer = spawn(process.execPath, [WRITER, pair.b, String(BAUD), String(SECONDS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let written = ''
  writer.stdout.on('data', (d: Buffer) => (written += d.toString()))
  await new Promise((r) => writer.once('exit', r))
  await new Promise((r) => setTimeout(r, 300)) // the last bytes in flight
  const cpu = process.cpuUsage(cpu0)
  const wallMs = performance.now() - t0
  source.stop()
  await pair.kill()
  tmp.remove()
  const sent = Number(written.trim())
  const ctx = {
    ...context,
    baud: BAUD,
    seconds: SECONDS,
    linesSent: sent,
    linesReceived: lines,
    lost: sent - lines,
    outOfOrder: lostOrReordered,
    samplesPerS: Math.round((lines * 4) / (wallMs / 1000)),
  }
  report(
    'ingest.serial.cpu_fraction',
    (cpu.user + cpu.system) / 1000 / wallMs,
    'fraction of one core',
    ctx,
  )
}
