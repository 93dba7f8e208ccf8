import type { SourceHealth } from '../../contract'
import { excerpt } from '../lines/line-errors'
import type { Outcome } from './modbus-bus'
import { describeRead } from './poll-plan'
import { describeException, hex, type ReadRequest } from './rtu-frame'

/** Why a poll (or one value of it) gave nothing to store. */
export type ModbusErrorKind = 'crc' | 'timeout' | 'exception' | 'out-of-range' | 'not-finite'

type SlaveCounters = SourceHealth['slaves'][number]

/** Counters a technician reads on the Sources page: per slave, per error kind, the last few. */
export class ModbusHealth {
  readonly counts: Record<ModbusErrorKind, number> = {
    crc: 0,
    timeout: 0,
    exception: 0,
    'out-of-range': 0,
    'not-finite': 0,
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

  /** A snapshot in the contract's shape. */
  snapshot(id: string, outages: SourceHealth['outages']): SourceHealth {
    return {
      id,
      errorCounts: { ...this.counts },
      recentErrors: [...this.recent],
      slaves: [...this.slaves.values()].map((s) => ({ ...s })),
      outages: outages.map((o) => ({ ...o })),
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
