import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Envelope } from '../contract'

const MAX_BODY_BYTES = 1024 * 1024

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(JSON.stringify(body))
}

/** The HTTP status that matches an envelope. */
export function statusFor(env: Envelope<unknown>): number {
  if (env.ok) return 200
  switch (env.error.code) {
    case 'INVALID_PARAMS':
      return 400
    case 'UNAUTHENTICATED':
      return 401
    case 'FORBIDDEN':
      return 403
    case 'UNKNOWN_METHOD':
    case 'NOT_FOUND':
      return 404
    case 'NOT_AVAILABLE':
      return 409
    case 'TOO_MANY_ATTEMPTS':
      return 429
    default:
      return 500
  }
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8').trim()
  return text === '' ? {} : JSON.parse(text)
}
