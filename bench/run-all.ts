import { cpus } from 'node:os'
import { selectBackend } from '../src/model/backend'
import { VERSION } from '../src/version'
import { benchDemoPipeline } from './demo-pipeline'
import { benchHistorianIngest } from './historian-ingest'

/** `npm run bench`: every figure as one JSON line on stdout. */
const backend = await selectBackend('auto')
const context = {
  backend,
  version: VERSION,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
}
await benchHistorianIngest(context)
await benchDemoPipeline(context)
