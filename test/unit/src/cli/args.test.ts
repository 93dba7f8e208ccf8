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
      allowHosts: [],
      tls: null,
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
      allowHosts: [],
      tls: null,
    })
  })

  it('takes the names the host may be reached by, and a TLS certificate with its key', () => {
    expect(
      parseCliArgs([
        'serve',
        '--host',
        '0.0.0.0',
        '--allow-host',
        'vigil.plant.local',
        '--allow-host',
        '10.0.0.5',
        '--tls-cert',
        'c.pem',
        '--tls-key',
        'k.pem',
      ]),
    ).toMatchObject({
      allowHosts: ['vigil.plant.local', '10.0.0.5'],
      tls: { cert: 'c.pem', key: 'k.pem' },
    })
    expect(() => parseCliArgs(['serve', '--tls-cert', 'c.pem'])).toThrow(/go together/)
    expect(() => parseCliArgs(['serve', '--allow-host', 'evil.example/x'])).toThrow(
      /host name or address/,
    )
  })

  it('manages users: add with a role, passwd, remove, list', () => {
    expect(parseCliArgs(['users', 'add', 'li', '--role', 'operator', '--data-dir', '/d'])).toEqual({
      command: 'users',
      action: 'add',
      name: 'li',
      role: 'operator',
      dataDir: '/d',
    })
    expect(parseCliArgs(['users', 'passwd', 'li'])).toEqual({
      command: 'users',
      action: 'passwd',
      name: 'li',
      dataDir: null,
    })
    expect(parseCliArgs(['users', 'remove', 'li'])).toMatchObject({ action: 'remove', name: 'li' })
    expect(parseCliArgs(['users', 'list'])).toEqual({
      command: 'users',
      action: 'list',
      dataDir: null,
    })
    expect(() => parseCliArgs(['users', 'add', 'li'])).toThrow(/--role viewer\|operator\|engineer/)
    expect(() => parseCliArgs(['users', 'add', 'li', '--role', 'admin'])).toThrow(
      /viewer, operator or engineer/,
    )
    expect(() => parseCliArgs(['users', 'add'])).toThrow(/NAME/)
    expect(() => parseCliArgs(['users'])).toThrow(/add, passwd, remove or list/)
    // A password never goes on the command line (shell history, process list).
    expect(() =>
      parseCliArgs(['users', 'add', 'li', '--role', 'viewer', '--password', 'x']),
    ).toThrow(UsageError)
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
