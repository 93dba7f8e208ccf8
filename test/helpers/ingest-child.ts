// A writer that ingests 10,000 samples/s (10 sensors at 1 kHz) through the real write path,
// for the crash-safety test that kills it with SIGKILL. Usage: ingest-child.ts DATA_DIR
// After each batch is committed it prints `committed <last t>`, so the test knows what must
// be on disk without relying on how fast a loaded machine runs.
import { Historian } from '../../src/historian/historian'
import { SampleBatcher } from '../../src/monitor/sample-batcher'
import { systemClock } from '../../src/platform/clock'
import { testSensor } from './historian-fixtures'

const CHILD_SENSORS = Array.from({ length: 10 }, (_, i) => `crash.s${i}`)

const dir = process.argv[2]
if (!dir) throw new Error('usage: ingest-child.ts DATA_DIR')
const historian = new Historian(dir)
historian.registerSensors(CHILD_SENSORS.map((id) => testSensor(id, 1)))
const batcher = new SampleBatcher({
  clock: systemClock,
  onFlush: (b) => {
    historian.writeBatch(b)
    const last = b.t[b.t.length - 1]
    if (last !== undefined) process.stdout.write(`committed ${last}\n`)
  },
})

let next = Date.now()
process.stdout.write(`ready ${next}\n`)
setInterval(() => {
  const now = Date.now()
  const samples = []
  for (let t = next; t < now; t++) {
    for (const sensorId of CHILD_SENSORS) samples.push({ sensorId, t, value: t % 1000 })
  }
  next = now
  batcher.push(samples)
}, 20)
