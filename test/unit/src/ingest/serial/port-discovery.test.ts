import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverPorts } from '../../../../../src/ingest/serial/port-discovery'
import { explainPortError } from '../../../../../src/ingest/serial/port-errors'
import { makeTempDir } from '../../../../helpers/temp-dir'

let tmp: ReturnType<typeof makeTempDir> | undefined
afterEach(() => tmp?.remove())

const udevMissing = () => Promise.reject(new Error('spawn udevadm ENOENT'))

describe('discoverPorts', () => {
  it('uses the serialport list where udev works, with a readable label', async () => {
    const ports = await discoverPorts({
      list: async () => [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', serialNumber: 'A1B2' }],
      access: async () => {},
    })
    expect(ports).toEqual([
      { path: '/dev/ttyUSB0', label: 'FTDI A1B2', found: 'udev', problem: null },
    ])
  })

  it('falls back to scanning /dev where udev is absent, with by-id names as labels', async () => {
    tmp = makeTempDir()
    const dev = tmp.dir
    for (const n of ['ttyUSB0', 'ttyACM1', 'ttyS0', 'tty0', 'null', 'ttyUSB-bogus'])
      writeFileSync(join(dev, n), '')
    mkdirSync(join(dev, 'serial', 'by-id'), { recursive: true })
    symlinkSync(join(dev, 'ttyUSB0'), join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R-if00-port0'))
    const ports = await discoverPorts({ list: udevMissing, devDir: dev, access: async () => {} })
    expect(ports.map((p) => [p.path.slice(dev.length + 1), p.label, p.found])).toEqual([
      ['ttyACM1', null, 'scan'],
      ['ttyS0', null, 'scan'],
      ['ttyUSB0', 'usb-FTDI_FT232R-if00-port0', 'scan'],
    ])
  })

  it('never fails, even with no /dev to read', async () => {
    expect(await discoverPorts({ list: udevMissing, devDir: '/nonexistent-dev' })).toEqual([])
  })

  it('says in plain words when this user may not open a port', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    const ports = await discoverPorts({
      list: async () => [{ path: '/dev/ttyUSB0' }],
      access: () => Promise.reject(denied),
    })
    expect(ports[0]?.problem).toMatch(/dialout/)
  })
})

describe('explainPortError', () => {
  it('explains the usual failures to a technician', () => {
    expect(
      explainPortError(Object.assign(new Error('x'), { code: 'ENOENT' }), '/dev/ttyUSB3'),
    ).toMatch(/unplugged/)
    expect(
      explainPortError(new Error('Error Resource busy, cannot open /dev/ttyUSB0'), '/dev/ttyUSB0'),
    ).toMatch(/in use by another program/)
    expect(explainPortError(new Error('Port disconnected'), '/dev/ttyACM0')).toMatch(/disconnected/)
    expect(explainPortError(new Error('something odd'), '/dev/ttyS1')).toBe(
      '/dev/ttyS1: something odd',
    )
  })
})
