/**
 * Whether an IPC message comes from our own renderer: the packaged `index.html` under the app's
 * renderer folder, or the dev server electron-vite started. Anything else (a navigated-away
 * frame, an injected iframe) is refused.
 */
export function isTrustedSenderUrl(
  url: string | undefined,
  rendererFileUrl: string,
  devServerUrl?: string,
): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (devServerUrl) {
    const dev = new URL(devServerUrl)
    if (parsed.origin === dev.origin) return true
  }
  const expected = new URL(rendererFileUrl)
  return parsed.protocol === 'file:' && parsed.pathname === expected.pathname
}
