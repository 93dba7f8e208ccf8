import { cpus } from 'node:os'
import { selectBackend } from '../src/model/backend'
import { VERSION } from '../src/version'
import { benchModelCore } from './model-core'

/** node bin/run-ts.mjs bench/model-core-run.ts [wasm|cpu|auto]: the model figures alone. */
const preference = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu' | 'auto'
const backend = await selectBackend(preference)
await benchModelCore({
  backend,
  version: VERSION,
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
})
