#!/usr/bin/env node
// Runs a TypeScript file of this repository (benchmarks, tools): node bin/run-ts.mjs FILE [ARGS]
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { register } from 'tsx/esm/api'

const [file, ...rest] = process.argv.slice(2)
if (!file) {
  process.stderr.write('usage: node bin/run-ts.mjs FILE.ts [ARGS]\n')
  process.exit(2)
}
process.argv = [process.argv[0], file, ...rest]
register()
await import(pathToFileURL(resolve(file)).href)
