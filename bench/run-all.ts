import { cpus } from 'node:os'
import { selectBackend } from '../src/model/backend'
import { VERSION } from '../src/version'
import { benchDemoPipeline } from './demo-pipeline'
import { benchHistorianIngest } from './historian-ingest'
import { benchHistorianQuery30d } from './historian-query-30d'
import { benchIngestFile } from './ingest-file'
import { benchIngestSerial } from './ingest-serial'

/** `npm run bench`: every figure as one JSON line on stdout. `--quick` skips the 30-day set. */
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
if (!process.argv.includes('--quick')) await benchHistorianQuery30d(context)
