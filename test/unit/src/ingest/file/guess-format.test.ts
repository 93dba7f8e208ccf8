import { describe, expect, it } from 'vitest'
import { guessDelimiter, guessFormat } from '../../../../../src/ingest/file/guess-format'

describe('guessing a file format from its first lines', () => {
  it('finds comma, semicolon and tab separated columns', () => {
    expect(guessFormat(['1.5,2,3', '1.6,2.1,3.2', '1.7,2.2,3.3'])).toEqual({
      kind: 'csv',
      delimiter: ',',
      header: null,
    })
    expect(guessFormat(['1,5;2;3', '1,6;2,1;3', '1;2;3,3', '10;20;30']).delimiter).toBe(';')
    expect(guessFormat(['1\t2\t3', '4\t5\t6']).delimiter).toBe('\t')
    expect(guessFormat(['1 2 3', '4 5 6']).delimiter).toBe(' ')
  })

  it('reads a SKAB-like file: semicolons, a header with spaces, date and time in one column', () => {
    const guess = guessFormat([
      'datetime;Accelerometer1RMS;Volume Flow RateRMS;anomaly',
      '2020-03-09 10:14:33;0.0265;32.0;0.0',
      '2020-03-09 10:14:34;0.0261;32.0;0.0',
    ])
    expect(guess).toEqual({
      kind: 'csv',
      delimiter: ';',
      header: ['datetime', 'Accelerometer1RMS', 'Volume Flow RateRMS', 'anomaly'],
    })
  })

  it('takes a first line without numbers as a header, and quoted names without quotes', () => {
    expect(guessFormat(['"t","p","q"', '1,2,3', '4,5,6']).header).toEqual(['t', 'p', 'q'])
    expect(guessFormat(['1,2,3', '4,5,6']).header).toBeNull()
    expect(guessFormat(['ok,2,3', 'ok,5,6']).header).toBeNull()
  })

  it('recognises JSON objects and key=value pairs', () => {
    expect(guessFormat(['{"p": 4.2, "t": 61}', '{"p": 4.3, "t": 61.5}']).kind).toBe('json')
    expect(guessFormat(['p=4.2 t=61.0', 'p=4.3 t=61.1'])).toEqual({
      kind: 'kv',
      delimiter: null,
      header: null,
    })
    expect(guessFormat(['p:4.2,t:61', 'p:4.3,t:62']).kind).toBe('kv')
  })

  it('keeps CSV with clock times as CSV, and says nothing about an empty file', () => {
    expect(guessFormat(['10:14:33,1,2', '10:14:34,1,2']).kind).toBe('csv')
    expect(guessFormat([])).toEqual({ kind: 'csv', delimiter: null, header: null })
    expect(guessDelimiter(['single', 'column'])).toBeNull()
  })

  it('prefers the delimiter that splits lines evenly over one that gives more fields', () => {
    // Commas inside the values vary; the semicolons are constant.
    expect(guessDelimiter(['1,5;2;a,b,c', '1;2;3', '4;5,5;6'])).toBe(';')
  })
})
