import { afterEach, describe, expect, it } from 'vitest'
import {
  acknowledgeAlarmsParamsSchema,
  journalQuerySchema,
  type AlarmsEvent,
} from '../../../src/contract'
import { demoWithActiveModel } from '../../helpers/demo-model'
import type { FakeClock } from '../../helpers/fake-clock'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'
import { as } from '../../helpers/callers'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function advance(clock: FakeClock, seconds: number) {
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000)
    // Let the scoring worker's answers arrive between simulated seconds.
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5))
  }
}

describe('demo fault → one model alarm', () => {
  it('the closing valve raises ONE model alarm, attributed to flow and pressure, that an operator acknowledges', async () => {
    const tmp = makeTempDir()
    cleanups.push(tmp.remove)
    const alarmEvents: AlarmsEvent[] = []
    const { m, clock, done } = await demoWithActiveModel(tmp.dir)
    cleanups.push(() => m.close())
    m.on('alarms', (e) => alarmEvents.push(e))
    expect(done.state).toBe('done')

    const modelAlarm = async () =>
      (await m.methods.listAlarms({}, as('engineer'))).alarms.find((a) => a.id === 'model')
    const start = clock.now()
    await advance(clock, 120)
    expect((await modelAlarm())?.state).toBe('normal')

    await m.methods.setDemoFault({ fault: 'valve-closing' }, as('engineer'))
    await advance(clock, 240)
    const raised = await until('the model alarm', async () => {
      const a = await modelAlarm()
      return a?.state === 'unacked' ? a : undefined
    })
    expect(raised.definition.priority).toBe('high')
    // Closing the valve lowers the flow and raises the pressure: those two lead the ranking.
    const valveSensors = ['pump.flow', 'pump.pressure']
    expect(
      raised.contributors
        .slice(0, 2)
        .map((c) => c.sensorId)
        .sort(),
    ).toEqual(valveSensors)
    expect(raised.eventId).not.toBeNull()
    // The banner's counts came with the event.
    expect(alarmEvents.at(-1)?.summary.highest).toBe('high')

    const ack = await m.methods.acknowledgeAlarms(
      acknowledgeAlarmsParamsSchema.parse({
        ids: ['model'],
        note: 'valve V-101 closing, maintenance called',
      }),
      as('operator', 'Olga'),
    )
    expect(ack.changed[0]?.state).toBe('acked')

    // The fault keeps going for a while: still one alarm, acknowledged.
    await advance(clock, 120)
    const journal = await m.methods.queryAlarmJournal(
      journalQuerySchema.parse({ from: start, to: clock.now() + 1, alarmId: 'model' }),
      as('engineer'),
    )
    const activations = journal.entries.filter((r) => r.cause === 'activate')
    expect(activations).toHaveLength(1)
    expect(valveSensors).toContain(activations[0]?.sensorId)
    expect(journal.entries.find((r) => r.cause === 'ack')).toMatchObject({
      user: 'Olga',
      note: 'valve V-101 closing, maintenance called',
    })

    const event = await m.methods.getAnomalyEvent({ id: raised.eventId ?? -1 }, as('engineer'))
    expect(event.start).toBe(activations[0]?.t)
    expect(event.peakScore).toBeGreaterThan(event.threshold)
    expect(
      event.contributors
        .slice(0, 2)
        .map((c) => c.sensorId)
        .sort(),
    ).toEqual(valveSensors)
    const shares = event.contributors.reduce((s, c) => s + c.share, 0)
    expect(shares).toBeCloseTo(1, 6)
  }, 240_000)
})
