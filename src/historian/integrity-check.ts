import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

export interface IntegrityResult {
  ok: boolean
  /** `ok`, or what SQLite found. */
  detail: string
  /** The file is damaged (not merely unreadable for another reason, such as permissions). */
  damaged: boolean
}

const CORRUPT = /SQLITE_CORRUPT|SQLITE_NOTADB|malformed|not a database/i

// Plain CommonJS so it runs in a worker as it is, under tsx, Vitest and the Electron bundle alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let out
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true })
  try { out = { detail: String(db.pragma('quick_check(1)', { simple: true })) } } finally { db.close() }
} catch (err) {
  out = { detail: String((err && err.message) || err) + (err && err.code ? ' (' + err.code + ')' : ''), error: true }
}
parentPort.postMessage(out)
`

/**
 * SQLite's quick integrity check of a database file in a worker thread, on its own read-only
 * connection: a large history takes seconds to check, and the app must not stall for it.
 */
export function checkIntegrityInBackground(file: string): Promise<IntegrityResult> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } })
    // A check still running must not keep a closing app alive.
    worker.unref()
    worker.once('message', (msg: { detail: string; error?: boolean }) => {
      const ok = !msg.error && msg.detail === 'ok'
      resolve({ ok, detail: msg.detail, damaged: !ok && (!msg.error || CORRUPT.test(msg.detail)) })
      void worker.terminate()
    })
    worker.once('error', (err) => resolve({ ok: false, detail: err.message, damaged: false }))
  })
}
