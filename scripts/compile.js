#!/usr/bin/env node
// Compiles src/ to dist/ (tsc, same folder layout, `.ts` imports rewritten to
// `.js`) so `quire` starts without compiling TypeScript on every run. Run by
// `npm ci` (prepare), `npm run build` and `npm test`; does nothing when dist/
// is already newer than every source. bin/quire.js runs the sources through
// tsx whenever dist/ is missing or older, so a stale dist/ is never used.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { distIsCurrent, sourceFiles, STAMP } from './dist-state.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
if (!process.argv.includes('--force') && distIsCurrent(root)) process.exit(0)

const dist = path.join(root, 'dist')
rmSync(dist, { recursive: true, force: true })
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
// The JavaScript that ships beside the sources (the preview's client script).
for (const file of sourceFiles(root)) {
  if (!file.endsWith('.js')) continue
  const target = path.join(dist, path.relative(path.join(root, 'src'), file))
  mkdirSync(path.dirname(target), { recursive: true })
  copyFileSync(file, target)
}
// Written last: its time is what "newer than every source" is measured against.
writeFileSync(path.join(dist, STAMP), `${new Date().toISOString()}\n`)
