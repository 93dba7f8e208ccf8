import type { ConfigError, SourceHealth } from '../../contract'
import { excerpt } from '../lines/line-errors'
import type { Outcome } from './modbus-bus'
import { describeRead } from './poll-plan'
import { describeException, hex, type ReadRequest } from './rtu-frame'
import type { SlaveStates } from './slave-states'

/**
 * Why a poll (or one value of it) gave nothing to store. `config`: a configured register the
 * device does not have.
 */
export type ModbusErrorKind =
  'crc' | 'timeout' | 'exception' | 'out-of-range' | 'not-finite' | 'config'

type SlaveCounters = SourceHealth['slaves'][number]

/** Counters a technician reads on the Sources page: per slave, per error kind, the last few. */
export class ModbusHealth {
  readonly counts: Record<ModbusErrorKind, number> = {
    crc: 0,
    timeout: 0,
    exception: 0,
    'out-of-range': 0,
    'not-finite': 0,
    config: 0,
  }
  private readonly slaves = new Map<number, SlaveCounters>()
  private readonly recent: { kind: string; excerpt: string }[] = []

  constructor(
    slaveIds: readonly number[],
    private readonly keep = 10,
  ) {
    for (const id of [...new Set(slaveIds)].sort((a, b) => a - b)) this.slave(id)
  }

  /** Counts one attempt on the wire. */
  attempt(req: ReadRequest, outcome: Outcome, timeoutMs: number): void {
    const s = this.slave(req.slaveId)
    s.requests++
    const what = describeRead(req)
    switch (outcome.kind) {
      case 'ok':
        s.ok++
        return
      case 'crc':
        s.crcErrors++
        return this.add('crc', `${what}: bad CRC in ${hex(outcome.frame)}`)
      case 'timeout':
        s.timeouts++
        return this.add('timeout', `${what}: no answer within ${timeoutMs} ms`)
      case 'exception':
        s.exceptions++
        return this.add('exception', `${what}: ${describeException(outcome.code)}`)
      case 'port':
        return
    }
  }

  add(kind: ModbusErrorKind, text: string): void {
    this.counts[kind]++
    this.recent.push({ kind, excerpt: excerpt(text, 120) })
    if (this.recent.length > this.keep) this.recent.shift()
  }

  /** Registers the device refused on their own: one configuration error each. */
  refused(errors: readonly ConfigError[]): void {
    for (const e of errors) {
      const where = `slave ${e.slaveId} ${e.function} ${e.address}`
      this.add('config', `${e.sensorId} (${where}): ${describeException(e.exception)}`)
    }
  }

  /** A snapshot in the contract's shape, with each slave's answering state when known. */
  snapshot(
    id: string,
    outages: SourceHealth['outages'],
    extra: { states?: SlaveStates; configErrors?: ConfigError[] } = {},
  ): SourceHealth {
    return {
      id,
      errorCounts: { ...this.counts },
      recentErrors: [...this.recent],
      slaves: [...this.slaves.values()].map((s) => ({
        ...s,
        ...extra.states?.of(s.slaveId),
      })),
      outages: outages.map((o) => ({ ...o })),
      ...(extra.configErrors ? { configErrors: extra.configErrors } : {}),
    }
  }

  private slave(slaveId: number): SlaveCounters {
    let s = this.slaves.get(slaveId)
    if (!s) {
      s = { slaveId, requests: 0, ok: 0, crcErrors: 0, timeouts: 0, exceptions: 0 }
      this.slaves.set(slaveId, s)
    }
    return s
  }
}
