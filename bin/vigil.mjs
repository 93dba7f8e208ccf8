#!/usr/bin/env node
// The `vigil` command. The core is TypeScript; tsx compiles it on load (and caches the result).
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/main.ts')
