import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8')

/** The page's Content-Security-Policy, directive by directive. */
function policy(): Map<string, string[]> {
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
  return new Map(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name ?? '', values]),
  )
}

describe("the renderer's content security policy", () => {
  it('lets the page connect only to its own host (no other WebSocket or fetch target)', () => {
    expect(policy().get('connect-src')).toEqual(["'self'"])
  })

  it('runs only its own scripts and embeds nothing', () => {
    const p = policy()
    expect(p.get('script-src')).toEqual(["'self'"])
    expect(p.get('object-src')).toEqual(["'none'"])
    expect(p.get('form-action')).toEqual(["'none'"])
  })
})
