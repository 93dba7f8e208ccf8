import { afterEach, describe, expect, it } from 'vitest'
import type { AlarmActionResult, AlarmList, JournalPage } from '../../../src/contract'
import { spawnHost, type SpawnedHost } from '../../helpers/spawn-host'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'
import { engineerOn, signInWeb, userOn } from '../../helpers/web-session'

const hosts: SpawnedHost[] = []
const dirs: ReturnType<typeof makeTempDir>[] = []
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop('SIGKILL')
  for (const d of dirs.splice(0)) d.remove()
})

const ALARM = 'limit.pump.flow.L'

describe('alarm acknowledgement durability', () => {
  it('an acknowledgement confirmed to the caller survives SIGKILL right after', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const first = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(first)
    const engineer = await engineerOn(first)
    const operator = await userOn(first.url, engineer, 'Olga', 'operator')
    // The demo pump delivers about 42 m³/h: an L limit at 100 is active at once.
    await engineer.call('saveAlarmDefinition', {
      definition: {
        kind: 'limit',
        name: 'Flow low',
        priority: 'critical',
        sensorId: 'pump.flow',
        level: 'L',
        limit: 100,
      },
    })
    await until('the alarm to activate', async () => {
      const list = await operator.call<AlarmList>('listAlarms', {})
      return list.alarms.find((a) => a.id === ALARM)?.state === 'unacked'
    })
    const ack = await operator.call<AlarmActionResult>('acknowledgeAlarms', {
      ids: [ALARM],
      note: 'flow transmitter FT-3 checked',
    })
    expect(ack.changed[0]?.state).toBe('acked')
    // No grace period: the process dies the moment the answer is in.
    await first.stop('SIGKILL')

    const second = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(second)
    const viewer = await signInWeb(second.url, 'Olga')
    const list = await viewer.call<AlarmList>('listAlarms', {})
    expect(list.alarms.find((a) => a.id === ALARM)).toMatchObject({
      state: 'acked',
      ackedBy: 'Olga',
      ackNote: 'flow transmitter FT-3 checked',
    })
    const journal = await viewer.call<JournalPage>('queryAlarmJournal', {
      from: 0,
      to: Date.now() + 60_000,
      alarmId: ALARM,
    })
    expect(journal.entries.map((e) => e.cause)).toContain('ack')
    expect(journal.entries.find((e) => e.cause === 'ack')?.note).toBe(
      'flow transmitter FT-3 checked',
    )
  }, 120_000)
})
