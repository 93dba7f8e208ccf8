import { cpus } from 'node:os'
import { selectBackend } from '../src/model/backend'
import { VERSION } from '../src/version'
import { benchAlarmsFlood } from './alarms-flood'
import { benchAlarmsLatency } from './alarms-latency'
import { benchAuth } from './auth'
import { benchDemoPipeline } from './demo-pipeline'
import { benchFileRefusal } from './file-refusal'
import { benchHistorianIngest } from './historian-ingest'
import { benchHistorianQuery30d } from './historian-query-30d'
import { benchIngestFile } from './ingest-file'
import { benchIngestSerial } from './ingest-serial'
import { benchModelCore } from './model-core'
import { benchModelLiveScoring } from './model-live-scoring'
import { benchModelTraining } from './model-training'
import { benchModbusLine } from './modbus-line'

/**
 * `npm run bench`: every figure as one JSON line on stdout. `--quick` skips the 30-day set, trains
 * on 1 h instead of 24 h, floods alarms for 15 s instead of 60 s and measures the model core on the
 * preferred backend only.
 */
const quick = process.argv.includes('--quick')
const backend = await selectBackend('auto')
const context = {
  backend,
  version: VERSION,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
}
await benchHistorianIngest(context)
await benchDemoPipeline(context)
await benchIngestSerial(context)
await benchIngestFile(context)
await benchFileRefusal(context)
await benchAuth(context)
// A Modbus line against pymodbus: live slaves' rate beside a dead one, inter-frame silence.
await benchModbusLine(context, quick ? 10 : 30)
// Alarms end to end: serial line → banner in Chromium, and a 10,000-a-minute flood.
await benchAlarmsLatency(context)
await benchAlarmsFlood(context, quick ? 15 : 60)
// The model core on every backend that loads here (the preferred one first).
const preferred: 'tfjs-node' | 'wasm' | 'cpu' =
  backend === 'tfjs-node' || backend === 'wasm' ? backend : 'cpu'
const backends = quick ? [preferred] : [...new Set([preferred, 'cpu' as const])]
for (const b of backends) {
  const loaded = await selectBackend(b)
  await benchModelCore({ ...context, backend: loaded })
}
await selectBackend(preferred)
// Training and live scoring as the product runs them: in the model workers, through the service.
await benchModelTraining(context, quick ? 1 : 24)
await benchModelLiveScoring(context)
if (!quick) await benchHistorianQuery30d(context)
