// Writes numbered CSV lines to a serial port path at a given baud rate (bytes/s = baud / 10),
// for the serial ingest benchmark. Usage: node serial-writer.mjs PATH BAUD SECONDS
import { openSync, writeSync } from 'node:fs'

const [path, baud, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])]
const fd = openSync(path, 'w')
const bytesPerMs = baud / 10 / 1000
const start = Date.now()
let sent = 0
let seq = 0
const tick = () => {
  const elapsed = Date.now() - start
  if (elapsed > seconds * 1000) {
    process.stdout.write(`${seq}\n`)
    process.exit(0)
  }
  let chunk = ''
  while (sent + chunk.length < elapsed * bytesPerMs) {
    chunk += `${seq++},${(Math.sin(seq / 50) * 10).toFixed(3)},${(seq % 997) / 10},4.25\n`
  }
  if (chunk) writeSync(fd, chunk)
  sent += chunk.length
  setTimeout(tick, 5)
}
tick()
