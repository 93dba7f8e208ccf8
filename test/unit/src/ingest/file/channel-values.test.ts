import { describe, expect, it } from 'vitest'
import { channelSchema } from '../../../../../src/contract'
import { ChannelValues, errorCounts } from '../../../../../src/ingest/file/channel-values'
import { LineErrorLog } from '../../../../../src/ingest/lines/line-errors'

const channel = (id: string, extra: Record<string, number | null> = {}) =>
  channelSchema.parse({ id, name: id, ...extra })

describe('channel values', () => {
  it('scales raw readings to engineering values', () => {
    const values = new ChannelValues([channel('p', { scale: 0.1, offset: -2 }), channel('q')])
    const out = values.apply(
      [
        { sensorId: 'p', t: 5, value: 100 },
        { sensorId: 'q', t: 5, value: 3 },
      ],
      'p=100 q=3',
    )
    expect(out).toEqual([
      { sensorId: 'p', t: 5, value: 8 },
      { sensorId: 'q', t: 5, value: 3 },
    ])
  })

  it('drops values outside the expected range, checked after scaling, one count per line', () => {
    const values = new ChannelValues([
      channel('p', { scale: 10, expectedMin: 0, expectedMax: 50 }),
      channel('q', { expectedMin: -1 }),
    ])
    const line = (p: number, q: number) =>
      values.apply(
        [
          { sensorId: 'p', t: 1, value: p },
          { sensorId: 'q', t: 1, value: q },
        ],
        `p=${p} q=${q}`,
      )
    expect(line(5, 0).map((s) => s.value)).toEqual([50, 0])
    expect(line(5.1, 0).map((s) => s.sensorId)).toEqual(['q'])
    expect(line(-0.1, -2)).toEqual([])
    expect(line(0, 1e9).map((s) => s.value)).toEqual([0, 1e9])
    expect(values.outOfRange).toBe(2)
    expect(values.recent()).toEqual([
      { kind: 'out-of-range', excerpt: 'p=5.1 q=0' },
      { kind: 'out-of-range', excerpt: 'p=-0.1 q=-2' },
    ])
  })

  it('drops samples no channel describes, without counting them', () => {
    const values = new ChannelValues([channel('p')])
    expect(values.apply([{ sensorId: 'other', t: 1, value: 1 }], 'x')).toEqual([])
    expect(values.outOfRange).toBe(0)
  })

  it('merges its count with the parser counts, leaving out kinds never seen', () => {
    const values = new ChannelValues([channel('p', { expectedMax: 1 })])
    values.apply([{ sensorId: 'p', t: 1, value: 2 }], 'p=2')
    const lines = new LineErrorLog()
    lines.add('malformed', 'zz')
    expect(errorCounts(lines, values)).toEqual({ malformed: 1, 'out-of-range': 1 })
  })
})
