import { describe, expect, it } from 'vitest'
import { charTimeMs, interFrameMs, LineSilence } from '../../../../../src/ingest/modbus/inter-frame'
import { ModbusBus, type Outcome } from '../../../../../src/ingest/modbus/modbus-bus'
import type { SerialSettings } from '../../../../../src/ingest/serial/serial-port-factory'
import { FakeRtuPort, type LineFrame } from '../../../../helpers/fake-rtu-port'
import { SimTime } from '../../../../helpers/sim-time'

const line = (baudRate: number, parity: SerialSettings['parity'] = 'none'): SerialSettings => ({
  path: 'SIM0',
  baudRate,
  dataBits: 8,
  parity,
  stopBits: 1,
})

/** The silence before each master frame: since the end of whatever was on the line before. */
function gapsBeforeRequests(frames: readonly LineFrame[]): number[] {
  const sorted = [...frames].sort((a, b) => a.start - b.start)
  const gaps: number[] = []
  let lastEnd = -Infinity
  for (const f of sorted) {
    if (f.from === 'master' && lastEnd > -Infinity) gaps.push(f.start - lastEnd)
    lastEnd = Math.max(lastEnd, f.end)
  }
  return gaps
}

describe('the silence between RTU frames', () => {
  it('is 3.5 character times up to 19200 baud and 1.75 ms above', () => {
    expect(charTimeMs(line(9600))).toBeCloseTo(10 / 9.6, 9)
    expect(interFrameMs(line(9600))).toBeCloseTo(3.6458, 4)
    expect(interFrameMs(line(9600, 'even'))).toBeCloseTo(4.0104, 4) // 11 bits a character
    expect(interFrameMs(line(19_200))).toBeCloseTo(1.8229, 4)
    expect(interFrameMs(line(38_400))).toBe(1.75)
    expect(interFrameMs(line(115_200))).toBe(1.75)
  })

  it('is waited out on the true time although the clock rounds down and timers fire early', async () => {
    // A clock that counts whole ms (rounding down) and timers 0.9 ms early: a single timer
    // trusted once would send up to ~1.9 ms too soon.
    const sim = new SimTime({ monoStepMs: 1, timerEarlyMs: 0.9 })
    const silence = new LineSilence(sim.mono, sim, 1.8229)
    const sentAt: number[] = []
    const heardAt: number[] = []
    for (const offset of [0, 0.05, 0.5, 0.95, 0.999]) {
      await sim.advance(10 + offset - (sim.t % 10))
      heardAt.push(sim.t)
      silence.heard()
      void silence.quiet().then(() => sentAt.push(sim.t))
      await sim.advance(5)
    }
    expect(sentAt).toHaveLength(5)
    sentAt.forEach((t, i) => expect(t - (heardAt[i] ?? 0)).toBeGreaterThanOrEqual(1.8229))
  })

  it('counts from the end of our own frame when nothing answers it', async () => {
    const sim = new SimTime()
    const silence = new LineSilence(sim.mono, sim, 3.6458)
    silence.sent(sim.mono.now() + 8 * (10 / 9.6)) // an 8-byte request at 9600
    expect(silence.remaining()).toBeCloseTo(8 * (10 / 9.6) + 3.6458, 6)
    await sim.advance(3)
    // An answer proves our frame ended; the silence now counts from it.
    silence.heard()
    expect(silence.remaining()).toBeCloseTo(3.6458, 6)
  })

  for (const [baud, parity] of [
    [9600, 'even'],
    [19_200, 'none'],
  ] as const) {
    it(`keeps every gap of 1,000 request/answer pairs at ${baud} baud at least 3.5 characters`, async () => {
      const settings = line(baud, parity)
      const sim = new SimTime({ monoStepMs: 1, timerEarlyMs: 0.9 })
      const port = new FakeRtuPort(
        sim,
        { slaves: { 1: { holding: { 0: 1, 1: 2 } } } },
        // A device that answers at once, as fast slaves on a short line do.
        { charMs: charTimeMs(settings), turnaroundMs: 0.05 },
      )
      port.open(() => {})
      const bus = new ModbusBus(port, {
        clock: sim,
        mono: sim.mono,
        settings,
        timeoutMs: 100,
        retries: 0,
      })
      const outcomes: Outcome['kind'][] = []
      for (let i = 0; i < 1000; i++) {
        void bus
          .request({ slaveId: 1, fn: 'holding', start: 0, count: 2 })
          .then((o) => outcomes.push(o.kind))
      }
      while (outcomes.length < 1000) await sim.advance(50)
      expect(outcomes.filter((k) => k !== 'ok')).toEqual([])
      const gaps = gapsBeforeRequests(port.frames)
      expect(gaps).toHaveLength(999)
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(interFrameMs(settings))
    })
  }
})
