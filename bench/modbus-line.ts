import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { modbusRtuSourceSchema } from '../src/contract'
import { interFrameMs } from '../src/ingest/modbus/inter-frame'
import { ModbusRtuSource } from '../src/ingest/modbus/modbus-rtu-source'
import { systemClock } from '../src/platform/clock'
import {
  silencesBeforeRequests,
  startPymodbusSlave,
  type PymodbusOptions,
} from '../test/helpers/pymodbus-slave'
import { startSocatPair } from '../test/helpers/socat-pair'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Three live slaves with four separate reads each, plus (optionally) slave 9, which is dead. */
function lineOf(withDeadSlave: boolean) {
  const slaves: PymodbusOptions['slaves'] = {}
  const registers: Record<string, unknown>[] = []
  for (const id of [1, 2, 3]) {
    const holding: Record<number, number> = {}
    for (let k = 0; k < 4; k++) {
      holding[k * 10] = k
      registers.push({
        id: `s${id}.r${k}`,
        name: 'r',
        slaveId: id,
        function: 'holding',
        address: k * 10,
      })
    }
    slaves[id] = { holding }
  }
  if (withDeadSlave) {
    registers.push({ id: 's9.r0', name: 'r', slaveId: 9, function: 'holding', address: 0 })
  }
  return { slaves, registers }
}

/**
 * The share of their configured rate the live slaves of a line keep (cycles delivered per
 * second ÷ cycles configured per second, the slowest live slave), over `seconds` after a
 * warm-up in which the dead slave is found out.
 */
async function liveRate(
  pollMs: number,
  withDeadSlave: boolean,
  seconds: number,
): Promise<{ share: number; deadRequests: number }> {
  const tmp = makeTempDir('vigil-bench-modbus-')
  const pair = await startSocatPair(tmp.dir)
  const { slaves, registers } = lineOf(withDeadSlave)
  const slave = await startPymodbusSlave({ path: pair.b, slaves })
  const source = new ModbusRtuSource(
    modbusRtuSourceSchema.parse({
      id: 'bench',
      name: 'bench',
      kind: 'modbus-rtu',
      serial: { path: pair.a, baudRate: 19_200 },
      pollMs,
      timeoutMs: 100,
      retries: 1,
      registers,
    }),
    { clock: systemClock },
  )
  const counts = new Map<string, number>()
  let counting = false
  source.start((samples) => {
    if (!counting) return
    for (const s of samples) counts.set(s.sensorId, (counts.get(s.sensorId) ?? 0) + 1)
  })
  await sleep(5_000) // long enough for three time-outs in a row
  const deadBefore = source.health().slaves.find((s) => s.slaveId === 9)?.requests ?? 0
  counting = true
  const t0 = performance.now()
  await sleep(seconds * 1000)
  counting = false
  const elapsed = performance.now() - t0
  const deadRequests =
    (source.health().slaves.find((s) => s.slaveId === 9)?.requests ?? 0) - deadBefore
  source.stop()
  await slave.stop()
  await pair.kill()
  tmp.remove()
  const configured = elapsed / pollMs
  const share = Math.min(...[1, 2, 3].map((id) => (counts.get(`s${id}.r0`) ?? 0) / configured))
  return { share, deadRequests }
}

/** The shortest silence the slave saw before 1,000 requests that followed an answer. */
async function minimumGap(baudRate: number, parity: 'none' | 'even'): Promise<number> {
  const tmp = makeTempDir('vigil-bench-modbus-gap-')
  const pair = await startSocatPair(tmp.dir)
  const { slaves, registers } = lineOf(false)
  const tracePath = `${tmp.dir}/trace.txt`
  const slave = await startPymodbusSlave({ path: pair.b, slaves, tracePath })
  const config = modbusRtuSourceSchema.parse({
    id: 'bench',
    name: 'bench',
    kind: 'modbus-rtu',
    serial: { path: pair.a, baudRate, parity },
    pollMs: 50,
    timeoutMs: 500,
    retries: 0,
    registers,
  })
  const source = new ModbusRtuSource(config, { clock: systemClock })
  source.start(() => {})
  const answered = () => source.health().slaves.reduce((n, s) => n + s.ok, 0)
  while (answered() < 1001) await sleep(100)
  const gaps = silencesBeforeRequests(await slave.trace()).slice(0, 1000)
  source.stop()
  await slave.stop()
  await pair.kill()
  tmp.remove()
  return Math.min(...gaps)
}

/**
 * A Modbus RTU line against Debian's pymodbus on a pty pair: the rate the live slaves keep with
 * a dead slave on the line (a relaxed and a tight poll period, and the same line without the
 * dead slave), and the shortest silence between frames at 9600 8E1 and 19200 8N1.
 */
export async function benchModbusLine(
  context: Record<string, unknown>,
  seconds = 30,
): Promise<void> {
  for (const pollMs of [200, 100]) {
    const without = await liveRate(pollMs, false, seconds)
    const withDead = await liveRate(pollMs, true, seconds)
    const ctx = {
      ...context,
      pollMs,
      timeoutMs: 100,
      retries: 1,
      liveSlaves: 3,
      readsPerSlave: 4,
      seconds,
    }
    report('modbus-live-rate-with-dead-slave', withDead.share * 100, '% of configured', {
      ...ctx,
      withoutDeadSlave: Number((without.share * 100).toFixed(1)),
      ofRateWithoutDeadSlave: Number(((withDead.share / without.share) * 100).toFixed(1)),
      deadSlaveRequests: withDead.deadRequests,
    })
  }
  for (const [baudRate, parity] of [
    [9600, 'even'],
    [19_200, 'none'],
  ] as const) {
    const min = await minimumGap(baudRate, parity)
    const required = interFrameMs({ path: '', baudRate, dataBits: 8, parity, stopBits: 1 })
    report('modbus-min-interframe-gap', min, 'ms', {
      ...context,
      baudRate,
      parity,
      requiredMs: Number(required.toFixed(3)),
      frames: 1000,
    })
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchModbusLine({ node: process.version }, process.argv.includes('--quick') ? 10 : 30)
}
