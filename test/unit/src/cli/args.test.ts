import { describe, expect, it } from 'vitest'
import { parseCliArgs, UsageError } from '../../../../src/cli/args'

describe('vigil command line', () => {
  it('serve defaults to loopback, port 5170, the default data folder and no demo', () => {
    expect(parseCliArgs(['serve'])).toEqual({
      command: 'serve',
      host: '127.0.0.1',
      port: 5170,
      dataDir: null,
      demo: false,
    })
  })

  it('takes host, port, data folder and demo', () => {
    expect(
      parseCliArgs(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', '/d', '--demo']),
    ).toEqual({
      command: 'serve',
      host: '0.0.0.0',
      port: 0,
      dataDir: '/d',
      demo: true,
    })
  })

  it('explains bad ports, unknown options and unknown commands', () => {
    expect(() => parseCliArgs(['serve', '--port', '70000'])).toThrow(
      /--port must be a whole number/,
    )
    expect(() => parseCliArgs(['serve', '--port', 'abc'])).toThrow(UsageError)
    expect(() => parseCliArgs(['serve', '--colour'])).toThrow(UsageError)
    expect(() => parseCliArgs(['launch'])).toThrow(/Unknown command "launch"/)
  })

  it('prints help with no command or --help, and the version with --version', () => {
    expect(parseCliArgs([])).toEqual({ command: 'help' })
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' })
    expect(parseCliArgs(['-v'])).toEqual({ command: 'version' })
  })
})

describe('vigil backup command line', () => {
  it('takes the data folder and the destination', () => {
    expect(parseCliArgs(['backup', '--data-dir', '/d', '--to', '/b/copy.db'])).toEqual({
      command: 'backup',
      dataDir: '/d',
      to: '/b/copy.db',
    })
  })

  it('asks for --to when it is missing', () => {
    expect(() => parseCliArgs(['backup'])).toThrow(/backup needs --to FILE/)
  })
})
