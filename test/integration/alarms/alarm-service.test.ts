import { afterEach, describe, expect, it } from 'vitest'
import {
  alarmDefinitionSchema,
  journalQuerySchema,
  type AlarmsEvent,
  type SourceStatus,
} from '../../../src/contract'
import { AlarmService } from '../../../src/alarms/alarm-service'
import { Historian } from '../../../src/historian/historian'
import { silentLogger } from '../../../src/log/logger'
import { FakeClock } from '../../helpers/fake-clock'
import { testSensor } from '../../helpers/historian-fixtures'
import { makeTempDir } from '../../helpers/temp-dir'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

const MIN = 60_000

function setup(dir: string, clock: FakeClock, source: Partial<SourceStatus> = {}) {
  const historian = new Historian(dir, { log: silentLogger, now: () => clock.now() })
  const sensor = { ...testSensor('tank.level'), sourceId: 'plc' }
  historian.registerSensors([sensor])
  const status: SourceStatus = {
    id: 'plc',
    kind: 'serial',
    name: 'PLC',
    state: 'running',
    samplesPerS: 1,
    lastSampleAt: clock.now(),
    lastError: null,
    ...source,
  }
  const events: AlarmsEvent[] = []
  const service = new AlarmService({
    store: historian.alarmStore,
    clock,
    log: silentLogger,
    emit: (e) => events.push(e),
    sensor: (id) => historian.sensor(id),
    sources: () => [status],
    startedAt: clock.now(),
  })
  service.start()
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    service.stop()
    historian.close()
  }
  cleanups.push(close)
  return { historian, service, events, status, close }
}

const highLimit = alarmDefinitionSchema.parse({
  kind: 'limit',
  name: 'Tank level high',
  priority: 'high',
  sensorId: 'tank.level',
  level: 'H',
  limit: 80,
  deadband: 2,
})

function feed(service: AlarmService, t: number, value: number) {
  service.onSamples({ sensorIds: ['tank.level'], t: [t], values: [value] })
}

function journal(historian: Historian, alarmId?: string) {
  return historian.alarmStore.queryJournal(
    journalQuerySchema.parse({ from: 0, to: 2 ** 45, alarmId, limit: 5000 }),
  ).entries
}

describe('AlarmService over the historian', () => {
  it('raises a limit alarm, journals it, and an operator acknowledges it with a note', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const { historian, service, events } = setup(tmp.dir, clock)
    const { view } = service.saveDefinition('engineer', highLimit)
    expect(view.id).toBe('limit.tank.level.H')
    expect(view.state).toBe('normal')

    feed(service, clock.now(), 79)
    expect(service.list().summary.unacked).toBe(0)
    clock.advance(1000)
    feed(service, clock.now(), 85)
    const raised = service.list().alarms.find((a) => a.id === view.id)
    expect(raised?.state).toBe('unacked')
    expect(raised?.value).toBe(85)
    expect(service.list().summary).toMatchObject({ unacked: 1, highest: 'high' })
    // The event carried the change, and it was on disk before it was announced.
    const last = events.at(-1)
    expect(last?.changed.map((a) => a.state)).toContain('unacked')

    const result = service.acknowledge([view.id], 'operator', 'checked the sight glass')
    expect(result.changed[0]).toMatchObject({
      state: 'acked',
      ackedBy: 'operator',
      ackNote: 'checked the sight glass',
    })
    // Inside the deadband (80 - 2 < 79 < 80) the alarm stays active.
    clock.advance(1000)
    feed(service, clock.now(), 79)
    expect(service.list().alarms.find((a) => a.id === view.id)?.state).toBe('acked')
    clock.advance(1000)
    feed(service, clock.now(), 77)
    expect(service.list().alarms.find((a) => a.id === view.id)?.state).toBe('normal')

    const rows = journal(historian, view.id).reverse()
    expect(rows.map((r) => `${r.cause}:${r.from}>${r.to}`)).toEqual([
      'definition-saved:normal>normal',
      'activate:normal>unacked',
      'ack:unacked>acked',
      'clear:acked>normal',
    ])
    expect(rows[2]).toMatchObject({ user: 'operator', note: 'checked the sight glass' })
    expect(rows[1]).toMatchObject({ value: 85, sensorId: 'tank.level', priority: 'high' })
  })

  it('refuses limits out of order and a second alarm on the same sensor and level', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const { service } = setup(tmp.dir, clock)
    service.saveDefinition('engineer', highLimit)
    expect(() => service.saveDefinition('engineer', highLimit)).toThrow(/already exists/)
    const hh = alarmDefinitionSchema.parse({ ...highLimit, level: 'HH', limit: 70 })
    expect(() => service.saveDefinition('engineer', hh)).toThrow(/at or above the H limit/)
    const unknown = alarmDefinitionSchema.parse({ ...highLimit, sensorId: 'no.such' })
    expect(() => service.saveDefinition('engineer', unknown)).toThrow(/no sensor/)
  })

  it('after a restart, states are exactly as they were and a shelving that expired meanwhile is applied', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const first = setup(tmp.dir, clock)
    first.service.saveDefinition('engineer', highLimit)
    const low = alarmDefinitionSchema.parse({
      ...highLimit,
      name: 'Tank level low',
      level: 'L',
      limit: 10,
      priority: 'low',
    })
    first.service.saveDefinition('engineer', low)
    feed(first.service, clock.now(), 95)
    first.service.shelve('limit.tank.level.L', 'operator', 'sensor being recalibrated', 30 * MIN)
    const before = first.service.list().alarms
    first.close()

    const second = setup(tmp.dir, clock)
    const after = second.service.list().alarms
    expect(after.find((a) => a.id === 'limit.tank.level.H')).toEqual(
      before.find((a) => a.id === 'limit.tank.level.H'),
    )
    expect(after.find((a) => a.id === 'limit.tank.level.L')).toMatchObject({
      state: 'shelved',
      shelvedBy: 'operator',
      shelveReason: 'sensor being recalibrated',
    })
    const shelvedUntil = after.find((a) => a.id === 'limit.tank.level.L')?.shelvedUntil ?? 0
    second.close()

    // Down for an hour: the shelving ended while the app was off.
    clock.advance(60 * MIN)
    const third = setup(tmp.dir, clock)
    expect(third.service.list().alarms.find((a) => a.id === 'limit.tank.level.L')?.state).toBe(
      'normal',
    )
    const expiry = journal(third.historian, 'limit.tank.level.L').find(
      (r) => r.cause === 'shelve-expired',
    )
    expect(expiry?.t).toBe(shelvedUntil)
    expect(third.service.list().alarms.find((a) => a.id === 'limit.tank.level.H')?.state).toBe(
      'unacked',
    )
  })

  it('creates source-health alarms, raises "disconnected" after its delay and suppresses the source’s limit alarms', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const { service, status } = setup(tmp.dir, clock)
    service.saveDefinition('engineer', highLimit)
    const ids = service.list().alarms.map((a) => a.id)
    expect(ids).toEqual(
      expect.arrayContaining(['model', 'source.plc.disconnected', 'source.plc.stale']),
    )
    status.state = 'reconnecting'
    service.tick()
    const state = (id: string) => service.list().alarms.find((a) => a.id === id)?.state
    expect(state('source.plc.disconnected')).toBe('normal')
    expect(state('limit.tank.level.H')).toBe('suppressed')
    clock.advance(6000)
    service.tick()
    expect(state('source.plc.disconnected')).toBe('unacked')
    status.state = 'running'
    status.lastSampleAt = clock.now()
    service.tick()
    expect(state('limit.tank.level.H')).toBe('normal')
  })

  it('gives each Modbus slave a "no answer" alarm that fires while the others still answer', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const { service, status } = setup(tmp.dir, clock, {
      kind: 'modbus-rtu',
      slaves: [
        { slaveId: 1, answering: true },
        { slaveId: 3, answering: true },
      ],
      noAnswer: [],
    })
    service.saveDefinition('engineer', highLimit)
    service.tick()
    const alarm = (id: string) => service.list().alarms.find((a) => a.id === id)
    expect(alarm('source.plc.no-answer.3')?.definition).toMatchObject({
      name: 'PLC: slave 3 not answering',
      condition: 'no-answer',
      slaveId: 3,
    })
    // Slave 3 (which feeds the tank level) stops answering: its alarm after the on-delay, the
    // level's limit alarm suppressed by design, slave 1's alarm untouched.
    status.slaves = [
      { slaveId: 1, answering: true },
      { slaveId: 3, answering: false },
    ]
    status.noAnswer = ['tank.level']
    service.tick()
    expect(alarm('limit.tank.level.H')?.state).toBe('suppressed')
    clock.advance(6000)
    service.tick()
    expect(alarm('source.plc.no-answer.3')?.state).toBe('unacked')
    expect(alarm('source.plc.no-answer.1')?.state).toBe('normal')
    // A slave the line still polls keeps its alarm; a slave added later gets one.
    expect(() => service.deleteDefinition('engineer', 'source.plc.no-answer.3')).toThrow(
      /cannot be deleted/,
    )
    status.slaves = [...status.slaves, { slaveId: 7, answering: true }]
    service.tick()
    expect(alarm('source.plc.no-answer.7')).toBeDefined()
    // A slave removed from the line: its alarm may go.
    status.slaves = status.slaves.filter((s) => s.slaveId !== 1)
    expect(service.deleteDefinition('engineer', 'source.plc.no-answer.1')).toMatchObject({
      id: 'source.plc.no-answer.1',
    })
    // A "no answer" alarm must name its slave.
    expect(() =>
      service.saveDefinition(
        'engineer',
        alarmDefinitionSchema.parse({
          kind: 'source',
          name: 'x',
          priority: 'low',
          sourceId: 'plc',
          condition: 'no-answer',
        }),
      ),
    ).toThrow(/needs the slave id/)
  })

  it('an alarm annunciated again after out of service asks for a new acknowledgement', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const { service } = setup(tmp.dir, clock)
    const id = service.saveDefinition('engineer', highLimit).view.id
    feed(service, clock.now(), 90)
    service.acknowledge([id], 'operator', 'seen')
    service.setService(id, 'engineer', false, 'transmitter swap')
    clock.advance(MIN)
    const back = service.setService(id, 'engineer', true).changed[0]
    expect(back).toMatchObject({ state: 'unacked', ackedBy: null, ackNote: null })
  })

  it('a chattering sensor does not flood the journal (deadband + delays)', () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const clock = new FakeClock()
    const { historian, service } = setup(tmp.dir, clock)
    service.saveDefinition(
      'engineer',
      alarmDefinitionSchema.parse({ ...highLimit, onDelayMs: 5000, offDelayMs: 10_000 }),
    )
    for (let i = 0; i < 600; i++) {
      clock.advance(1000)
      feed(service, clock.now(), i % 2 === 0 ? 81 : 79.5)
      if (i % 5 === 0) service.tick()
    }
    const activations = journal(historian, 'limit.tank.level.H').filter(
      (r) => r.cause === 'activate',
    )
    expect(activations).toHaveLength(1)
  })
})
