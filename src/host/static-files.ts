import { createReadStream, existsSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Vigil</title>
<body style="font-family:sans-serif;background:#202326;color:#ddd;padding:2em">
<h1>Vigil</h1><p>The user interface has not been built. Run <code>npm run build:web</code>
(or <code>npm run serve</code>, which builds it) and reload this page.</p>`

/**
 * Serves the built renderer from `root`. Paths never leave `root`; unknown paths without an
 * extension get `index.html` (the app uses hash routing, but a reload should still land).
 */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  const base = resolve(root)
  const url = new URL(req.url ?? '/', 'http://localhost')
  let rel: string
  try {
    rel = decodeURIComponent(url.pathname)
  } catch {
    res.writeHead(400).end('Bad path')
    return
  }
  let file = resolve(base, normalize('.' + sep + rel))
  if (file !== base && !file.startsWith(base + sep)) {
    res.writeHead(403).end('Forbidden')
    return
  }
  if (!existsSync(file) || statSync(file).isDirectory()) {
    if (extname(file) !== '' && extname(file) !== '.html') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
      return
    }
    file = join(base, 'index.html')
  }
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8' }).end(NOT_BUILT_PAGE)
    return
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream'
  // Built assets carry a content hash in their names; index.html must always be fresh.
  const cache = file.includes(`${sep}assets${sep}`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache'
  res.writeHead(200, {
    'content-type': type,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  })
  createReadStream(file).pipe(res)
}
