#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild, so `quire` starts without compiling
// TypeScript and without loading hundreds of small modules one by one (the
// unified and micromark packages): two entry points (the CLI and the worker
// thread) and the chunks they share, each one folder below dist/ as the
// sources are below src/, so paths taken from `import.meta.url` hold. Lazily
// loaded parts (the renderers, preview, --fix) stay separate chunks. Puppeteer
// and citeproc stay in node_modules: loaded only when needed, and big.
// esbuild only strips types; `npm test` type-checks with tsc.
//
// Run by `npm ci` (prepare), `npm run build` and `npm test`; does nothing
// when dist/ is newer than every source. bin/quire.js runs the sources
// through tsx whenever dist/ is missing or older, so a stale dist/ is never used.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { distIsCurrent, sourceFiles, STAMP } from './dist-state.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
if (!process.argv.includes('--force') && distIsCurrent(root)) process.exit(0)

const dist = path.join(root, 'dist')
rmSync(dist, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts', 'src/parallel/worker.ts'],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Loaded when needed, from node_modules: the browser driver and its Chromium, and citeproc (required lazily).
  external: ['puppeteer', '@sparticuz/chromium', 'citeproc'],
  // CommonJS packages bundled into ES modules still call require() for Node's own modules.
  banner: { js: "import { createRequire as __quireCreateRequire } from 'node:module'; const require = __quireCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})
// The JavaScript that ships beside the sources (the preview's client script).
for (const file of sourceFiles(root)) {
  if (!file.endsWith('.js')) continue
  const target = path.join(dist, path.relative(path.join(root, 'src'), file))
  mkdirSync(path.dirname(target), { recursive: true })
  copyFileSync(file, target)
}
// Written last: its time is what "newer than every source" is measured against.
writeFileSync(path.join(dist, STAMP), `${new Date().toISOString()}\n`)
