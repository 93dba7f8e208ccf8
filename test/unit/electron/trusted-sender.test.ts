import { describe, expect, it } from 'vitest'
import { isTrustedSenderUrl } from '../../../electron/main/trusted-sender'

const app = 'file:///opt/Vigil/resources/app.asar/out/renderer/index.html'

describe('isTrustedSenderUrl', () => {
  it('trusts our own renderer page, whatever its hash route', () => {
    expect(isTrustedSenderUrl(app, app)).toBe(true)
    expect(isTrustedSenderUrl(`${app}#/live`, app)).toBe(true)
  })

  it('refuses other files, web pages, missing and malformed URLs', () => {
    expect(isTrustedSenderUrl('file:///tmp/evil.html', app)).toBe(false)
    expect(isTrustedSenderUrl('https://example.com/', app)).toBe(false)
    expect(isTrustedSenderUrl(undefined, app)).toBe(false)
    expect(isTrustedSenderUrl('not a url', app)).toBe(false)
  })

  it('trusts the dev server only when one is running', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/#/live', app, 'http://localhost:5173')).toBe(
      true,
    )
    expect(isTrustedSenderUrl('http://localhost:5173/', app)).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:9999/', app, 'http://localhost:5173')).toBe(false)
  })
})
