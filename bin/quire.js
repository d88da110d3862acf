#!/usr/bin/env node
// Quire runs its TypeScript sources directly through tsx, so `npx quire`
// works right after `npm ci`, with no compile step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
