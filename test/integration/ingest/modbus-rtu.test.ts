import { afterAll, describe, expect, it } from 'vitest'
import { modbusRtuSourceSchema } from '../../../src/contract'
import { ModbusRtuSource, testModbusSource } from '../../../src/ingest/modbus/modbus-rtu-source'
import type { Sample } from '../../../src/ingest/sample'
import { systemClock } from '../../../src/platform/clock'
import { everyTypeAndOrder } from '../../helpers/modbus-fixtures'
import { startModbusSlave, type ModbusSlave, type SlaveMap } from '../../helpers/modbus-slave'
import { startSocatPair, type SocatPair } from '../../helpers/socat-pair'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'

const tmp = makeTempDir('vigil-modbus-')
let pair: SocatPair | undefined
let source: ModbusRtuSource | undefined
let slave: ModbusSlave | undefined
afterAll(async () => {
  source?.stop()
  await slave?.close()
  await pair?.kill()
  tmp.remove()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// Slave 1: every type in every word and byte order, numbered "40001"-style (1-based).
const fixture = everyTypeAndOrder(1, 1)
const registers: Record<string, unknown>[] = [...fixture.registers]
const expected = new Map<string, number>(fixture.expected)
const slave1: SlaveMap = fixture.map
const wire = fixture.words
// Slave 2: scaled input registers, coils, and a value outside its expected range.
const slave2: SlaveMap = { input: { 10: 1234, 11: 5, 12: 9999 }, coil: { 0: 1, 1: 0, 2: 1 } }
registers.push(
  {
    id: 's2.temp',
    name: 'Temperature',
    slaveId: 2,
    function: 'input',
    address: 10,
    scale: 0.1,
    offset: -10,
  },
  { id: 's2.count', name: 'Count', slaveId: 2, function: 'input', address: 11 },
  { id: 's2.level', name: 'Level', slaveId: 2, function: 'input', address: 12, expectedMax: 1000 },
  { id: 's2.run', name: 'Running', slaveId: 2, function: 'coil', address: 0 },
  { id: 's2.trip', name: 'Tripped', slaveId: 2, function: 'coil', address: 1 },
  { id: 's2.auto', name: 'Auto', slaveId: 2, function: 'coil', address: 2 },
  // Slave 3 is configured but absent: it must cost time-outs, never the others' data.
  { id: 's3.x', name: 'Absent', slaveId: 3, function: 'holding', address: 0 },
)
for (const [id, v] of [
  ['s2.temp', 113.4],
  ['s2.count', 5],
  ['s2.run', 1],
  ['s2.trip', 0],
  ['s2.auto', 1],
] as const) {
  expected.set(id, v)
}

function serve(path: string): Promise<ModbusSlave> {
  let crcSent = false
  return startModbusSlave({
    path,
    slaves: { 1: slave1, 2: slave2 },
    // One CRC-damaged answer, to slave 2's first input read; the retry then succeeds.
    fault: (req) =>
      req.slaveId === 2 && req.fn === 'input' && !crcSent ? ((crcSent = true), 'crc') : null,
  })
}

describe('a Modbus RTU master on a real pseudo-terminal pair', () => {
  it('decodes every type and order from two slaves, counts failures, and reconnects', async () => {
    pair = await startSocatPair(tmp.dir)
    const config = modbusRtuSourceSchema.parse({
      id: 'plc',
      name: 'Line PLC',
      kind: 'modbus-rtu',
      serial: { path: pair.a, baudRate: 19_200 },
      pollMs: 200,
      timeoutMs: 100,
      retries: 1,
      registers,
    })
    slave = await startModbusSlave({ path: pair.b, slaves: { 1: slave1, 2: slave2 } })

    // "Test connection": one cycle, a line per request.
    const test = await testModbusSource(config, { clock: systemClock })
    expect(test.ok).toBe(true)
    expect(test.lines.map((l) => l.raw)).toEqual([
      `slave 1 holding 0..${wire - 1}`,
      'slave 2 coil 0..2',
      'slave 2 input 10..12',
      'slave 3 holding 0..0',
    ])
    expect(test.lines[3]?.error).toMatch(/time-out/)
    expect(test.lines[2]?.error).toMatch(/s2.level = 9999 outside/)
    await slave.close()

    slave = await serve(pair.b)
    const got: Sample[] = []
    source = new ModbusRtuSource(config, {
      clock: systemClock,
      retryMs: { first: 100, max: 1000 },
      nodePollMs: 200,
    })
    expect(source.sensors()).toHaveLength(registers.length)
    expect(source.sensors()[0]).toMatchObject({
      sourceId: 'plc',
      periodMs: 200,
      localizedNames: {},
    })
    source.start((s) => got.push(...s))
    await until(
      'two cycles with slave 3 absent',
      () => (source?.health().slaves[2]?.timeouts ?? 0) >= 4,
    )

    const last = new Map(got.map((s) => [s.sensorId, s.value]))
    for (const [id, value] of expected) {
      if (id.includes('float32') || id === 's2.temp') expect(last.get(id), id).toBeCloseTo(value, 4)
      else expect(last.get(id), id).toBe(value)
    }
    expect(last.has('s2.level')).toBe(false)
    expect(last.has('s3.x')).toBe(false)
    const health = source.health()
    const [h1, h2, h3] = health.slaves
    expect(h1).toMatchObject({ slaveId: 1, crcErrors: 0, timeouts: 0, exceptions: 0 })
    expect(h1?.ok).toBe(h1?.requests)
    expect(h2).toMatchObject({ slaveId: 2, crcErrors: 1, timeouts: 0 })
    expect(h2?.ok).toBe((h2?.requests ?? 0) - 1)
    expect(h3).toMatchObject({ slaveId: 3, ok: 0, crcErrors: 0 })
    expect(h3?.timeouts).toBe(h3?.requests)
    expect(health.errorCounts).toMatchObject({ crc: 1, timeout: h3?.timeouts })
    expect(health.errorCounts['out-of-range']).toBeGreaterThanOrEqual(2)

    // Pull the cable.
    await pair.kill()
    await slave.close()
    await until('the loss to be noticed', () => source?.status().state === 'reconnecting')
    const before = got.length
    await sleep(400)
    expect(got.length).toBe(before)

    // Plug it back in.
    await pair.restart()
    slave = await serve(pair.b)
    await until('data after the reconnect', () => got.length > before + 10)
    expect(source.status().state).toBe('running')
    expect(got.at(-1)?.sensorId).toBeDefined()
    expect(source.outages).toHaveLength(1)
    expect(source.outages[0]?.to).toBeGreaterThan(source.outages[0]?.from ?? Infinity)
  }, 30_000)
})
