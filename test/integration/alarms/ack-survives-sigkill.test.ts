import { afterEach, describe, expect, it } from 'vitest'
import type { AlarmActionResult, AlarmList, JournalPage } from '../../../src/contract'
import { spawnHost, type SpawnedHost } from '../../helpers/spawn-host'
import { makeTempDir } from '../../helpers/temp-dir'
import { until } from '../../helpers/until'

const hosts: SpawnedHost[] = []
const dirs: ReturnType<typeof makeTempDir>[] = []
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop('SIGKILL')
  for (const d of dirs.splice(0)) d.remove()
})

async function call<T>(url: string, method: string, params: unknown): Promise<T> {
  const res = await fetch(`${url}/api/call/${method}`, {
    method: 'POST',
    body: JSON.stringify(params),
  })
  const env = (await res.json()) as { ok: true; result: T } | { ok: false; error: unknown }
  if (!env.ok) throw new Error(`${method}: ${JSON.stringify(env.error)}`)
  return env.result
}

const ALARM = 'limit.pump.flow.L'

describe('alarm acknowledgement durability', () => {
  it('an acknowledgement confirmed to the caller survives SIGKILL right after', async () => {
    const d = makeTempDir()
    dirs.push(d)
    const first = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(first)
    // The demo pump delivers about 42 m³/h: an L limit at 100 is active at once.
    await call(first.url, 'saveAlarmDefinition', {
      user: 'engineer',
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
      const list = await call<AlarmList>(first.url, 'listAlarms', {})
      return list.alarms.find((a) => a.id === ALARM)?.state === 'unacked'
    })
    const ack = await call<AlarmActionResult>(first.url, 'acknowledgeAlarms', {
      ids: [ALARM],
      user: 'operator',
      note: 'flow transmitter FT-3 checked',
    })
    expect(ack.changed[0]?.state).toBe('acked')
    // No grace period: the process dies the moment the answer is in.
    await first.stop('SIGKILL')

    const second = await spawnHost(['--demo', '--data-dir', d.dir])
    hosts.push(second)
    const list = await call<AlarmList>(second.url, 'listAlarms', {})
    expect(list.alarms.find((a) => a.id === ALARM)).toMatchObject({
      state: 'acked',
      ackedBy: 'operator',
      ackNote: 'flow transmitter FT-3 checked',
    })
    const journal = await call<JournalPage>(second.url, 'queryAlarmJournal', {
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
