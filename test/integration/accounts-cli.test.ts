import { afterEach, describe, expect, it } from 'vitest'
import { TEST_PASSWORD } from '../helpers/callers'
import { runVigil, spawnHost, type SpawnedHost } from '../helpers/spawn-host'
import { makeTempDir } from '../helpers/temp-dir'
import { setupToken, signInWeb } from '../helpers/web-session'

const hosts: SpawnedHost[] = []
const dirs: ReturnType<typeof makeTempDir>[] = []
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop('SIGKILL')
  for (const d of dirs.splice(0)) d.remove()
})

function freshDir(): string {
  const d = makeTempDir()
  dirs.push(d)
  return d.dir
}

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) })

describe('first run of vigil serve', () => {
  it('prints a one-time set-up link and refuses everything else until it is used', async () => {
    const host = await spawnHost(['--data-dir', freshDir()])
    hosts.push(host)
    const token = setupToken(host.output())
    expect(host.output()).toMatch(/no accounts yet[\s\S]*\/#\/setup\?token=/)
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)

    const refused = await post(host.url, '/api/call/getStatus', {})
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /first-run set-up/,
    )
    const state = await (await post(host.url, '/api/call/getSession', {})).json()
    expect(state).toMatchObject({
      result: { setupRequired: true, setupNeedsToken: true, session: null },
    })
    const forged = await post(host.url, '/api/setup', {
      token: 'x'.repeat(32),
      name: 'Mallory',
      password: TEST_PASSWORD,
    })
    expect(forged.status).toBe(403)

    const done = await post(host.url, '/api/setup', {
      token,
      name: 'Eric',
      password: TEST_PASSWORD,
    })
    expect(done.status).toBe(200)
    expect(done.headers.get('set-cookie')).toMatch(/vigil_session=/)
    const again = await post(host.url, '/api/setup', {
      token,
      name: 'Eve',
      password: TEST_PASSWORD,
    })
    expect(again.status).toBe(403)
    const eric = await signInWeb(host.url, 'Eric')
    expect((await eric.post('getStatus', {})).status).toBe(200)
  }, 60_000)
})

describe('vigil users', () => {
  it('adds, lists, resets and removes users while the host runs, which sees each change at once', async () => {
    const dir = freshDir()
    const host = await spawnHost(['--data-dir', dir])
    hosts.push(host)
    await post(host.url, '/api/setup', {
      token: setupToken(host.output()),
      name: 'Eric',
      password: TEST_PASSWORD,
    })

    const added = await runVigil(
      ['users', 'add', 'Li Wei', '--role', 'operator', '--data-dir', dir],
      `${TEST_PASSWORD}\n`,
    )
    expect(added).toMatchObject({ code: 0 })
    expect(added.output).toMatch(/User Li Wei added as operator/)
    const li = await signInWeb(host.url, 'li wei')
    expect((await li.post('acknowledgeAlarms', { ids: ['model'] })).status).not.toBe(401)

    const listed = await runVigil(['users', 'list', '--data-dir', dir])
    expect(listed.output).toMatch(/Eric\s+engineer\s+last signed in/)
    expect(listed.output).toMatch(/Li Wei\s+operator\s+last signed in/)

    const short = await runVigil(['users', 'passwd', 'Li Wei', '--data-dir', dir], 'short\n')
    expect(short.code).toBe(1)
    expect(short.output).toMatch(/at least 8 characters/)
    const reset = await runVigil(
      ['users', 'passwd', 'Li Wei', '--data-dir', dir],
      'a new shift begins\n',
    )
    expect(reset.code).toBe(0)
    // The old session did not survive the new password.
    expect((await li.post('listAlarms', {})).status).toBe(401)
    const li2 = await signInWeb(host.url, 'Li Wei', 'a new shift begins')

    const lastEngineer = await runVigil(['users', 'remove', 'Eric', '--data-dir', dir])
    expect(lastEngineer.code).toBe(1)
    expect(lastEngineer.output).toMatch(/last engineer/)
    expect((await runVigil(['users', 'remove', 'li wei', '--data-dir', dir])).code).toBe(0)
    expect((await li2.post('listAlarms', {})).status).toBe(401)
    expect(
      (await post(host.url, '/api/login', { name: 'Li Wei', password: 'a new shift begins' }))
        .status,
    ).toBe(401)
  }, 240_000)

  it('works without a running host, and only then may the host listen beyond loopback', async () => {
    const dir = freshDir()
    await expect(spawnHost(['--host', '0.0.0.0', '--data-dir', dir], 15_000)).rejects.toThrow(
      /exited with 1[\s\S]*no engineer account yet/,
    )
    const added = await runVigil(
      ['users', 'add', 'Eric', '--role', 'engineer', '--data-dir', dir],
      `${TEST_PASSWORD}\n`,
    )
    expect(added.code).toBe(0)
    const host = await spawnHost(['--host', '0.0.0.0', '--data-dir', dir])
    hosts.push(host)
    // No set-up link (an engineer exists), and a warning about the plain-text network.
    expect(host.output()).not.toMatch(/setup\?token/)
    expect(host.output()).toMatch(/without TLS/)
  }, 240_000)
})
