import { afterEach, describe, expect, it } from 'vitest'
import { modbusRtuSourceSchema, type SourceConfigInput } from '../../../src/contract'
import { interFrameMs } from '../../../src/ingest/modbus/inter-frame'
import { ModbusRtuSource, testModbusSource } from '../../../src/ingest/modbus/modbus-rtu-source'
import type { Sample } from '../../../src/ingest/sample'
import { systemClock } from '../../../src/platform/clock'
import { everyTypeAndOrder, type RegisterInput } from '../../helpers/modbus-fixtures'
import {
  silencesBeforeRequests,
  startPymodbusSlave,
  type PymodbusOptions,
  type PymodbusSlave,
} from '../../helpers/pymodbus-slave'
import { startSocatPair, type SocatPair } from '../../helpers/socat-pair'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'

// The master against a slave nobody here wrote: Debian's python3-pymodbus on a socat pty pair.

type Config = Extract<SourceConfigInput, { kind: 'modbus-rtu' }>

let cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.reverse()) await c()
  cleanups = []
})

interface Rig {
  source: ModbusRtuSource
  /** Starts polling, collecting every sample. */
  start: () => void
  slave: PymodbusSlave
  samples: Sample[]
  last: () => Map<string, number>
  config: ReturnType<typeof modbusRtuSourceSchema.parse>
}

/** A pty pair, the pymodbus slave on one end, a Modbus source (not started) on the other. */
async function rig(
  slaves: PymodbusOptions['slaves'],
  registers: RegisterInput[],
  extra: Omit<Partial<Config>, 'serial'> & { serial?: Partial<Config['serial']> } = {},
  trace = false,
): Promise<Rig> {
  const tmp = makeTempDir('vigil-pymodbus-')
  const pair: SocatPair = await startSocatPair(tmp.dir)
  cleanups.push(
    () => tmp.remove(),
    () => pair.kill(),
  )
  const serial = { baudRate: 19_200, ...extra.serial, path: pair.a }
  const slave = await startPymodbusSlave({
    path: pair.b,
    baudRate: serial.baudRate,
    slaves,
    tracePath: trace ? `${tmp.dir}/trace.txt` : undefined,
  })
  cleanups.push(() => slave.stop())
  const config = modbusRtuSourceSchema.parse({
    id: 'interop',
    name: 'Interop',
    kind: 'modbus-rtu',
    pollMs: 200,
    timeoutMs: 150,
    retries: 1,
    registers,
    ...extra,
    serial,
  })
  const source = new ModbusRtuSource(config, {
    clock: systemClock,
    retryMs: { first: 100, max: 1000 },
    nodePollMs: 200,
  })
  cleanups.push(() => source.stop())
  const samples: Sample[] = []
  const start = () => source.start((batch) => samples.push(...batch))
  const last = () => new Map(samples.map((s) => [s.sensorId, s.value]))
  return { source, start, slave, samples, last, config }
}

describe('Modbus RTU against pymodbus', () => {
  it('reads every type and order, coils and discrete inputs across bytes, 0- and 1-based', async () => {
    const s1 = everyTypeAndOrder(1, 1)
    const s2 = everyTypeAndOrder(2, 0)
    const coils: Record<number, 0 | 1> = {}
    const discrete: Record<number, 0 | 1> = {}
    const bits: RegisterInput[] = []
    const expected = new Map([...s1.expected, ...s2.expected])
    for (let a = 0; a < 11; a++) {
      coils[a] = ((a * 7) % 3 === 0 ? 1 : 0) as 0 | 1
      bits.push({ id: `s2.coil${a}`, name: 'c', slaveId: 2, function: 'coil', address: a })
      expected.set(`s2.coil${a}`, coils[a] ?? 0)
    }
    for (let a = 5; a < 21; a++) {
      discrete[a] = (a % 2) as 0 | 1
      // 1-based numbering: input 6 of the manual is wire address 5.
      bits.push({
        id: `s2.di${a}`,
        name: 'd',
        slaveId: 2,
        function: 'discrete',
        address: a + 1,
        addressBase: 1,
      })
      expected.set(`s2.di${a}`, discrete[a] ?? 0)
    }
    const scaled: RegisterInput = {
      id: 's2.temp',
      name: 'Temperature',
      slaveId: 2,
      function: 'input',
      address: 4,
      scale: 0.1,
      offset: -10,
    }
    expected.set('s2.temp', 113.4)
    const r = await rig(
      {
        1: s1.map,
        2: { ...s2.map, input: { 4: 1234 }, coil: coils, discrete },
      },
      [...s1.registers, ...s2.registers, ...bits, scaled],
    )
    r.start()
    await until('every value read', () => r.last().size === expected.size)
    const last = r.last()
    for (const [id, value] of expected) {
      if (id.includes('float32') || id === 's2.temp') expect(last.get(id), id).toBeCloseTo(value, 4)
      else expect(last.get(id), id).toBe(value)
    }
    const health = r.source.health()
    expect(health.errorCounts).toMatchObject({ crc: 0, timeout: 0, exception: 0, config: 0 })
    expect(health.slaves.map((s) => s.ok === s.requests)).toEqual([true, true])
  })

  it('reads around the holes of a register map: 222 and 333, and 13 values beside a missing one', async () => {
    const valid: Record<number, number> = {}
    for (let a = 0; a < 13; a++) valid[a] = 500 + a
    const registers: RegisterInput[] = [
      { id: 'a', name: 'a', slaveId: 3, function: 'holding', address: 1 },
      { id: 'b', name: 'b', slaveId: 3, function: 'holding', address: 10 },
      ...Object.keys(valid).map((a) => ({
        id: `v${a}`,
        name: 'v',
        slaveId: 4,
        function: 'holding',
        address: Number(a),
      })),
      { id: 'missing', name: 'missing', slaveId: 4, function: 'holding', address: 15 },
    ]
    // The devices: {0, 1, 10, 11} and 0..12; reads may span gaps of 8, as before.
    const r = await rig(
      { 3: { holding: { 0: 111, 1: 222, 10: 333, 11: 444 } }, 4: { holding: valid } },
      registers,
      {
        slaves: [
          { slaveId: 3, maxGap: 8 },
          { slaveId: 4, maxGap: 8 },
        ],
      },
    )
    const test = await testModbusSource(r.config, { clock: systemClock })
    expect(test.lines.map((l) => l.raw)).toEqual([
      'slave 3 holding 1..1',
      'slave 3 holding 10..10',
      'slave 4 holding 0..12',
      'slave 4 holding 15..15',
    ])
    expect(test.lines[3]?.error).toBe(
      'exception 2 (illegal data address): the device has no such register (missing)',
    )

    r.start()
    await until('three cycles', () => r.samples.filter((s) => s.sensorId === 'v0').length >= 3)
    expect(r.last().get('a')).toBe(222)
    expect(r.last().get('b')).toBe(333)
    for (let a = 0; a < 13; a++) {
      // Each valid value arrived in every cycle, the first included.
      expect(r.samples.filter((s) => s.sensorId === `v${a}`).length).toBe(
        r.samples.filter((s) => s.sensorId === 'v0').length,
      )
    }
    expect(r.last().has('missing')).toBe(false)
    const health = r.source.health()
    expect(health.configErrors).toEqual([
      expect.objectContaining({ sensorId: 'missing', slaveId: 4, wireAddress: 15, exception: 2 }),
    ])
    expect(health.errorCounts.config).toBe(1)
    // Exceptions only in the first cycle, while the map was learned.
    const exceptions = health.errorCounts.exception
    await until('two more cycles', () => r.samples.filter((s) => s.sensorId === 'v0').length >= 5)
    expect(r.source.health().errorCounts.exception).toBe(exceptions)
    expect(r.source.status().lastError).toBeNull()
  })

  it('sets a silent slave id aside, keeps the others, and shows its sensors as no answer', async () => {
    const r = await rig({ 1: { holding: { 0: 7 } }, 2: { holding: { 0: 8 } } }, [
      { id: 'one', name: 'one', slaveId: 1, function: 'holding', address: 0 },
      { id: 'two', name: 'two', slaveId: 2, function: 'holding', address: 0 },
      { id: 'ghost', name: 'ghost', slaveId: 9, function: 'holding', address: 0 },
    ])
    r.start()
    await until('slave 9 set aside', () =>
      r.source.status().slaves?.some((s) => s.slaveId === 9 && !s.answering),
    )
    const status = r.source.status()
    expect(status).toMatchObject({ state: 'running', noAnswer: ['ghost'] })
    expect(status.lastError).toBe('slave 9 not answering')
    // While it is set aside, the others are read every cycle and it is not asked at all.
    const asked = r.source.health().slaves.find((s) => s.slaveId === 9)?.requests ?? 0
    const before = r.samples.filter((s) => s.sensorId === 'one').length
    await until(
      'five more cycles',
      () => r.samples.filter((s) => s.sensorId === 'one').length >= before + 5,
    )
    const ghost = r.source.health().slaves.find((s) => s.slaveId === 9)
    expect(ghost).toMatchObject({ answering: false })
    expect(ghost?.requests).toBeLessThanOrEqual(asked + 1) // at most one probe meanwhile
    expect(r.last()).toEqual(
      new Map([
        ['one', 7],
        ['two', 8],
      ]),
    )
  })

  it('records a stopped slave as an outage and takes it back when it restarts', async () => {
    const r = await rig({ 1: { holding: { 0: 42, 1: 43 } } }, [
      { id: 'x', name: 'x', slaveId: 1, function: 'holding', address: 0 },
      { id: 'y', name: 'y', slaveId: 1, function: 'holding', address: 1 },
    ])
    r.start()
    await until('values', () => r.last().get('y') === 43)
    await r.slave.stop()
    await until('the silence to be an outage', () => r.source.status().state === 'error')
    expect(r.source.status().lastError).toMatch(/^No slave on .* answers \(slave 1\)/)
    expect(r.source.health().outages).toEqual([{ from: expect.any(Number), to: null }])
    const stored = r.samples.length

    await r.slave.restart()
    await until('data again', () => r.samples.length > stored + 4, 30_000)
    const status = r.source.status()
    expect(status).toMatchObject({ state: 'running', lastError: null, noAnswer: [] })
    const [outage] = r.source.health().outages
    expect(outage?.to).toBeGreaterThan(outage?.from ?? Infinity)
  })

  it('counts CRC-damaged answers, retries them, and clears the error once answers are good', async () => {
    const r = await rig({ 1: { holding: { 0: 5 } } }, [
      { id: 'z', name: 'z', slaveId: 1, function: 'holding', address: 0 },
    ])
    r.start()
    await until('a value', () => r.last().get('z') === 5)
    await r.slave.corrupt(1)
    await until('the damaged answer counted', () => r.source.health().errorCounts.crc === 1)
    // The retry got it: no cycle lost its value, no error left.
    await r.slave.corrupt(4)
    await until('a cycle lost to CRC errors', () =>
      /bad CRC/.test(r.source.status().lastError ?? ''),
    )
    await until('the error cleared', () => r.source.status().lastError === null)
    expect(r.source.health().errorCounts.crc).toBe(5)
    expect(r.source.health().slaves[0]?.crcErrors).toBe(5)
  })

  for (const [baudRate, parity] of [
    [9600, 'even'],
    [19_200, 'none'],
  ] as const) {
    it(`leaves at least 3.5 characters of silence before each of 1,000 requests at ${baudRate} baud`, async () => {
      // 25 separate reads a cycle (no gaps read through), back to back.
      const holding: Record<number, number> = {}
      const registers: RegisterInput[] = []
      for (let i = 0; i < 25; i++) {
        holding[i * 10] = i
        registers.push({ id: `g${i}`, name: 'g', slaveId: 1, function: 'holding', address: i * 10 })
      }
      const r = await rig(
        { 1: { holding } },
        registers,
        { pollMs: 50, timeoutMs: 500, serial: { baudRate, parity } },
        true,
      )
      r.start()
      await until('1,000 answers', () => (r.source.health().slaves[0]?.ok ?? 0) >= 1001, 120_000)
      const gaps = silencesBeforeRequests(await r.slave.trace()).slice(0, 1000)
      expect(gaps).toHaveLength(1000)
      const required = interFrameMs(r.config.serial)
      const min = Math.min(...gaps)
      const below = gaps.filter((g) => g < required).length
      // The figure for the record: the shortest silence the slave saw.
      console.log(
        JSON.stringify({
          figure: 'modbus-min-interframe-gap',
          baudRate,
          parity,
          requiredMs: Number(required.toFixed(4)),
          minMs: Number(min.toFixed(4)),
          frames: gaps.length,
          below,
        }),
      )
      expect(below).toBe(0)
    })
  }
})
