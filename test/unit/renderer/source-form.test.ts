import { describe, expect, it } from 'vitest'
import type { FilePreview, SourceConfig } from '@vigil/contract'
import {
  configFromForm,
  deriveId,
  emptyForm,
  emptyRegister,
  fieldOfPath,
  formFromConfig,
  issuesToErrors,
} from '../../../renderer/src/lib/source-form'
import { applyPreview } from '../../../renderer/src/lib/source-preview'

const serial: SourceConfig = {
  id: 'bench',
  name: 'Bench logger',
  enabled: true,
  kind: 'serial-lines',
  serial: { path: '/dev/ttyUSB0', baudRate: 19200, dataBits: 8, parity: 'even', stopBits: 1 },
  format: {
    kind: 'kv',
    pairSeparator: ' ',
    keyValueSeparator: '=',
    keys: { p: 'bench.p', q: 'bench.q' },
    maxLineLength: 512,
  },
  channels: [
    {
      id: 'bench.p',
      name: 'Pressure',
      unit: 'bar',
      scale: 0.1,
      offset: 0,
      expectedMin: 0,
      expectedMax: 10,
      decimals: 2,
    },
    {
      id: 'bench.q',
      name: 'Flow',
      unit: 'm³/h',
      scale: 1,
      offset: -4,
      expectedMin: null,
      expectedMax: null,
      decimals: 1,
    },
  ],
}

describe('source form', () => {
  it('derives an id from the name until the id is typed', () => {
    expect(deriveId('Line 1 / Pressure logger')).toBe('line-1-pressure-logger')
    expect(deriveId('  Kiln.2_temp  ')).toBe('kiln.2_temp')
    expect(deriveId('一号线')).toBe('')
  })

  it('round-trips a serial key=value source, keys taken from the channel rows', () => {
    const form = formFromConfig(serial)
    expect(form.channels.map((c) => c.key)).toEqual(['p', 'q'])
    expect(configFromForm(form)).toEqual({ config: serial })
  })

  it('builds CSV columns and a timestamp column from the rows', () => {
    const form = emptyForm('serial-lines')
    form.serial.path = '/dev/ttyS1'
    form.format.kind = 'csv'
    form.format.delimiter = ';'
    form.format.timestamp = true
    form.format.timestampKey = '0'
    form.format.timestampFormat = 'epoch-s'
    form.channels[0] = { ...form.channels[0]!, key: '2', id: 'a.t', name: 'T' }
    const out = configFromForm(form)
    expect('config' in out && out.config.kind === 'serial-lines' && out.config.format).toEqual({
      kind: 'csv',
      delimiter: ';',
      columns: [{ index: 2, sensorId: 'a.t' }],
      timestamp: { index: 0, format: 'epoch-s' },
      maxLineLength: 1024,
    })
  })

  it('names the fields whose numbers are not numbers, and repeated or missing keys', () => {
    const form = formFromConfig(serial)
    form.channels[0]!.scale = 'x'
    form.channels[1]!.key = 'p'
    form.channels[1]!.expectedMax = '1e3'
    const out = configFromForm(form)
    expect('errors' in out && out.errors).toEqual({
      'channels.0.scale': { key: 'number' },
      'channels.1.key': { key: 'duplicateKey' },
    })
    form.channels[1]!.key = ' '
    expect('errors' in configFromForm(form) && configFromForm(form)).toMatchObject({
      errors: { 'channels.1.key': { key: 'required' } },
    })
  })

  it('sends Modbus registers with their numbering and orders', () => {
    const form = emptyForm('modbus-rtu')
    form.serial.path = '/dev/ttyUSB1'
    form.registers = [
      {
        ...emptyRegister(),
        id: 'm.f',
        name: 'Flow',
        address: '40001',
        addressBase: '1',
        type: 'float32',
        wordOrder: 'little',
      },
    ]
    const out = configFromForm(form)
    expect('config' in out && out.config).toMatchObject({
      kind: 'modbus-rtu',
      pollMs: 1000,
      registers: [{ address: 40001, addressBase: 1, type: 'float32', wordOrder: 'little' }],
    })
    if ('config' in out && out.config.kind === 'modbus-rtu') {
      expect(formFromConfig({ ...serial, ...out.config } as SourceConfig).registers[0]).toEqual(
        form.registers[0],
      )
    }
  })

  it('sends per-slave request options only where they differ from the defaults', () => {
    const form = emptyForm('modbus-rtu')
    form.serial.path = '/dev/ttyUSB1'
    form.registers = [2, 5, 2, 9].map((slave, i) => ({
      ...emptyRegister(),
      id: `m.${i}`,
      name: 'r',
      slaveId: String(slave),
    }))
    form.slaveOptions = {
      '2': { maxGap: '0', maxRegisters: '125', maxBits: '2000' },
      '5': { maxGap: '8', maxRegisters: '32', maxBits: '2000' },
      '9': { maxGap: '0', maxRegisters: '16', maxBits: '2000' },
      // A slave no register names any more is not sent.
      '11': { maxGap: '4', maxRegisters: '125', maxBits: '2000' },
    }
    const out = configFromForm(form)
    const slaves = 'config' in out && out.config.kind === 'modbus-rtu' ? out.config.slaves : null
    expect(slaves).toEqual([
      { slaveId: 5, maxGap: 8, maxRegisters: 32, maxBits: 2000 },
      { slaveId: 9, maxGap: 0, maxRegisters: 16, maxBits: 2000 },
    ])
    // The host names the second entry by index; the form shows it beside slave 9.
    expect(fieldOfPath('slaves.1.maxRegisters', form)).toBe('slaves.9.maxRegisters')
    form.slaveOptions['5'] = { maxGap: 'a few', maxRegisters: '32', maxBits: '2000' }
    expect(configFromForm(form)).toEqual({ errors: { 'slaves.5.maxGap': { key: 'wholeNumber' } } })
    if ('config' in out && out.config.kind === 'modbus-rtu') {
      const back = formFromConfig({
        ...serial,
        ...out.config,
        slaves: slaves ?? [],
      } as SourceConfig)
      expect(back.slaveOptions['9']).toEqual({ maxGap: '0', maxRegisters: '16', maxBits: '2000' })
    }
  })

  it('puts the host issues beside their fields, format paths on the channel rows', () => {
    const form = formFromConfig(serial)
    expect(fieldOfPath('format.keys.q', form)).toBe('channels.1.id')
    expect(fieldOfPath('format.columns.3.index', form)).toBe('channels.3.key')
    expect(fieldOfPath('format.timestamp.key', form)).toBe('format.timestamp')
    const shown = (p: string) => p !== 'enabled'
    const { fields, other } = issuesToErrors(
      [
        'channels.0.id: Too small: expected string to have >=1 characters',
        'format.keys.p: Too small: expected string to have >=1 characters',
        'serial.baudRate: Too small: expected number to be >=50',
        'serial.path: no such port',
        'enabled: odd',
        'something went wrong',
      ],
      form,
      shown,
    )
    expect(fields).toEqual({
      'channels.0.id': { key: 'required' },
      'serial.baudRate': { key: 'atLeast', values: { n: 50 } },
      'serial.path': { text: 'no such port' },
    })
    expect(other).toEqual(['enabled: odd', 'something went wrong'])
  })

  it('fills the format and channels from a CSV preview with a header and a time column', () => {
    const form = emptyForm('file')
    form.id = 'kiln'
    const preview: FilePreview = {
      path: '/data/kiln.csv',
      bytes: 120,
      lines: ['time;Temp A;Temp B', '1700000000000;81.2;79.9'],
      guess: { kind: 'csv', delimiter: ';', header: ['time', 'Temp A', 'Temp B'] },
    }
    expect(applyPreview(form, preview)).toBe(1)
    expect(form.format).toMatchObject({
      kind: 'csv',
      delimiter: ';',
      timestamp: true,
      timestampKey: '0',
      timestampFormat: 'epoch-ms',
    })
    expect(form.channels.map((c) => [c.key, c.id, c.name])).toEqual([
      ['1', 'kiln.temp-a', 'Temp A'],
      ['2', 'kiln.temp-b', 'Temp B'],
    ])
  })

  it('fills key=value channels from the first line', () => {
    const form = emptyForm('file')
    const preview: FilePreview = {
      path: '/data/x.log',
      bytes: 20,
      lines: ['p=1.5 q=2.5'],
      guess: { kind: 'kv', delimiter: ' ', header: null },
    }
    expect(applyPreview(form, preview)).toBe(0)
    expect(form.channels.map((c) => c.key)).toEqual(['p', 'q'])
  })
})
