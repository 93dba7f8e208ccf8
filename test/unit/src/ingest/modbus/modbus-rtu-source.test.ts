import { describe, expect, it } from 'vitest'
import { modbusRtuSourceSchema, type SourceConfigInput } from '../../../../../src/contract'
import { charTimeMs } from '../../../../../src/ingest/modbus/inter-frame'
import { ModbusRtuSource } from '../../../../../src/ingest/modbus/modbus-rtu-source'
import type { Sample } from '../../../../../src/ingest/sample'
import { FakeRtuPort } from '../../../../helpers/fake-rtu-port'
import type { RtuDevices, SeenRequest } from '../../../../helpers/rtu-device'
import { SimTime } from '../../../../helpers/sim-time'

type Register = Record<string, unknown> & { id: string; slaveId: number; address: number }
type Extra = Partial<Extract<SourceConfigInput, { kind: 'modbus-rtu' }>>

const holding = (slaveId: number, address: number, id = `s${slaveId}.h${address}`): Register => ({
  id,
  name: id,
  slaveId,
  function: 'holding',
  address,
})

/** A Modbus source on a simulated line at 19200 baud, in simulated time. */
function rig(devices: RtuDevices, registers: Register[], extra: Extra = {}) {
  const sim = new SimTime({ monoStepMs: 1, timerEarlyMs: 0.5 })
  const config = modbusRtuSourceSchema.parse({
    id: 'plc',
    name: 'PLC',
    kind: 'modbus-rtu',
    serial: { path: 'SIM0', baudRate: 19_200 },
    pollMs: 500,
    timeoutMs: 100,
    retries: 1,
    registers,
    ...extra,
  })
  const port = new FakeRtuPort(sim, devices, { charMs: charTimeMs(config.serial) })
  const source = new ModbusRtuSource(config, {
    clock: sim,
    mono: sim.mono,
    openPort: () => port,
    retryMs: { first: 100, max: 1000 },
  })
  const samples: (Sample & { at: number })[] = []
  source.start((batch) => samples.push(...batch.map((s) => ({ ...s, at: sim.t }))))
  const requestsTo = (slaveId: number, after = 0) =>
    port.frames.filter((f) => f.from === 'master' && f.start >= after && f.data[0] === slaveId)
  const last = () => new Map(samples.map((s) => [s.sensorId, s.value]))
  return { sim, port, source, samples, requestsTo, last }
}

const reads = (seen: readonly SeenRequest[]) => seen.map((r) => `${r.start}+${r.count}`)

describe('a Modbus RTU source against devices with holes in their map', () => {
  it('reads 222 and 333 from the issue’s device, split in the first cycle, and remembers', async () => {
    const devices = { slaves: { 3: { holding: { 0: 111, 1: 222, 10: 333, 11: 444 } } } }
    const regs = [holding(3, 1, 'a'), holding(3, 10, 'b')]
    // The engineer allowed reading through gaps of 8: the merged read is refused.
    const { sim, port, source, last } = rig(devices, regs, {
      slaves: [{ slaveId: 3, maxGap: 8 }],
    })
    await sim.advance(400)
    expect(port.frames[0]?.data.toString('hex')).toBe('03030001000a95ef')
    expect(port.frames[1]?.data.toString('hex')).toBe('0383026131')
    expect(last()).toEqual(
      new Map([
        ['a', 222],
        ['b', 333],
      ]),
    )
    const firstCycle = port.seen.length
    await sim.advance(1000)
    expect(reads(port.seen.slice(firstCycle))).toEqual(['1+1', '10+1', '1+1', '10+1'])
    expect(source.health().configErrors).toEqual([])
    expect(source.status().lastError).toBeNull()
  })

  it('an absent register next to valid ones costs only itself, as a configuration error', async () => {
    const map: Record<number, number> = {}
    for (let a = 0; a < 13; a++) map[a] = 100 + a
    const regs = [...Array.from({ length: 13 }, (_, a) => holding(1, a)), holding(1, 15)]
    for (const maxGap of [0, 8]) {
      const { sim, port, source, samples } = rig({ slaves: { 1: { holding: map } } }, regs, {
        slaves: [{ slaveId: 1, maxGap }],
      })
      await sim.advance(2600)
      // Every cycle stored all 13 values; s1.h15 never.
      const perCycle = new Map<number, number>()
      for (const s of samples) perCycle.set(s.at, (perCycle.get(s.at) ?? 0) + 1)
      expect(samples.filter((s) => s.sensorId === 's1.h15')).toEqual([])
      expect(new Set(samples.map((s) => s.sensorId)).size).toBe(13)
      expect(samples.length).toBe(13 * 6)
      // Once learned, one request a cycle.
      expect(reads(port.seen.slice(-2))).toEqual(['0+13', '0+13'])
      const health = source.health()
      expect(health.configErrors).toEqual([
        expect.objectContaining({ sensorId: 's1.h15', slaveId: 1, wireAddress: 15, exception: 2 }),
      ])
      expect(health.errorCounts.config).toBe(1)
      expect(source.status().lastError).toBeNull()
      source.stop()
    }
  })

  it('finds a register missing in the middle of a run and reads around it', async () => {
    const map: Record<number, number> = {}
    for (let a = 0; a < 14; a++) if (a !== 7) map[a] = a
    const regs = Array.from({ length: 14 }, (_, a) => holding(1, a))
    const { sim, port, source, last } = rig({ slaves: { 1: { holding: map } } }, regs)
    await sim.advance(400)
    expect([...last().keys()].sort()).toEqual(
      regs
        .map((r) => r.id)
        .filter((id) => id !== 's1.h7')
        .sort(),
    )
    expect(source.health().configErrors?.map((e) => e.sensorId)).toEqual(['s1.h7'])
    const before = port.seen.length
    await sim.advance(500)
    expect(reads(port.seen.slice(before))).toEqual(['0+7', '8+6'])
  })

  it('learns that a device answers fewer registers a request than the spec allows', async () => {
    const map: Record<number, number> = {}
    for (let a = 0; a < 40; a++) map[a] = a
    const devices: RtuDevices = {
      slaves: { 1: { holding: map } },
      fault: (req) => (req.count > 16 ? { exception: 3 } : null),
    }
    const regs = Array.from({ length: 40 }, (_, a) => holding(1, a))
    const { sim, port, source, last } = rig(devices, regs)
    await sim.advance(500)
    expect(last().size).toBe(40)
    const before = port.seen.length
    await sim.advance(500)
    expect(port.seen.slice(before).every((r) => r.count <= 16)).toBe(true)
    expect(source.health().configErrors).toEqual([])
  })
})

describe('a Modbus RTU source with a slave that does not answer', () => {
  const registers = [1, 2, 3].flatMap((id) => [holding(id, 0), holding(id, 1), holding(id, 20)])
  const alive = { holding: { 0: 1, 1: 2, 20: 3 } }

  it('sets it aside so the others keep their rate, probes it, and takes it back', async () => {
    const devices: RtuDevices = { slaves: { 1: alive, 2: alive } }
    const { sim, source, requestsTo } = rig(devices, registers, { timeoutMs: 200 })
    await sim.advance(60_000)
    const from = sim.t
    await sim.advance(240_000)
    // Two reads a cycle for each live slave, one cycle every 500 ms.
    const configured = (2 * 240_000) / 500
    for (const id of [1, 2]) {
      expect(requestsTo(id, from).length / configured).toBeGreaterThanOrEqual(0.9)
    }
    const probes = requestsTo(3, from).length
    expect(probes).toBeGreaterThanOrEqual(3)
    expect(probes).toBeLessThanOrEqual(12)

    const status = source.status()
    expect(status.state).toBe('running')
    expect(status.slaves).toEqual([
      { slaveId: 1, answering: true },
      { slaveId: 2, answering: true },
      { slaveId: 3, answering: false },
    ])
    expect(status.noAnswer).toEqual(['s3.h0', 's3.h1', 's3.h20'])
    expect(status.lastError).toBe('slave 3 not answering')
    const slave3 = source.health().slaves.find((s) => s.slaveId === 3)
    expect(slave3).toMatchObject({ answering: false })
    expect(slave3?.nextProbeAt).toBeGreaterThan(sim.now())

    devices.slaves[3] = alive
    await sim.advance(61_000)
    expect(source.status()).toMatchObject({ lastError: null, noAnswer: [] })
    expect(source.status().slaves?.every((s) => s.answering)).toBe(true)
  })

  it('records a line on which no slave answers as an outage, like a pulled cable', async () => {
    const devices: RtuDevices = { slaves: {} }
    const { sim, source, port } = rig(devices, registers)
    await sim.advance(10_000)
    expect(source.status()).toMatchObject({
      state: 'error',
      lastError: expect.stringMatching(/^No slave on SIM0 answers \(slaves 1, 2, 3\)/),
    })
    const [outage] = source.health().outages
    expect(outage).toEqual({ from: expect.any(Number), to: null })
    expect(source.health().outages).toHaveLength(1)

    // The cable is pulled too while the line is silent: still one outage.
    port.emit('close')
    await sim.advance(50)
    expect(source.status().state).toBe('reconnecting')
    await sim.advance(1_000)
    expect(source.health().outages).toHaveLength(1)

    devices.slaves[2] = alive
    await sim.advance(10_000)
    expect(source.status()).toMatchObject({
      state: 'running',
      lastError: 'slaves 1, 3 not answering',
    })
    expect(source.health().outages[0]?.to).toBeGreaterThan(outage?.from ?? Infinity)
  })

  it('clears lastError once polls succeed again', async () => {
    let bad = true
    const devices: RtuDevices = {
      slaves: { 1: alive, 2: alive, 3: alive },
      fault: (req) => (bad && req.slaveId === 2 ? 'crc' : null),
    }
    const { sim, source } = rig(devices, registers)
    await sim.advance(1_200)
    expect(source.status().lastError).toMatch(/slave 2 holding 0\.\.1: answer with a bad CRC/)
    bad = false
    await sim.advance(1_000)
    expect(source.status().lastError).toBeNull()
    expect(source.status().state).toBe('running')
  })
})
