/** Polls `get` every 20 ms until it gives something truthy; fails after `ms` naming `what`. */
export async function until<T>(
  what: string,
  get: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 90_000,
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await get()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
