#!/usr/bin/env node
// Runs the compiled JavaScript in dist/ when it is current (npm ci and
// npm run build compile it); otherwise the TypeScript sources through tsx,
// so an edited source is never shadowed by an old compile.
import { fileURLToPath } from 'node:url'
import { distIsCurrent } from '../scripts/dist-state.js'

const root = fileURLToPath(new URL('..', import.meta.url))
let main
if (process.env.QUIRE_FROM_SOURCE !== '1' && distIsCurrent(root)) {
  ;({ main } = await import('../dist/cli/main.js'))
} else {
  const { register } = await import('tsx/esm/api')
  register()
  ;({ main } = await import('../src/cli/main.ts'))
}
process.exitCode = await main(process.argv.slice(2))
