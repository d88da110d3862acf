#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild, so `quire` starts without compiling
// TypeScript and without loading hundreds of small modules one by one (the
// unified and micromark packages): two entry points (the CLI and the worker
// thread) and the chunks they share, each one folder below dist/ as the
// sources are below src/, so paths taken from `import.meta.url` hold. Lazily
// loaded parts (the renderers, preview, --fix) stay separate chunks.
// esbuild only strips types; `npm test` type-checks with tsc.
//
// Run by `npm ci` (prepare), `npm run build` and `npm test`; does nothing
// when dist/ is newer than every source. bin/quire.js runs the sources
// through tsx whenever dist/ is missing or older, so a stale dist/ is never used.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { distIsCurrent, sourceFiles, STAMP } from './dist-state.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
if (!process.argv.includes('--force') && distIsCurrent(root)) process.exit(0)

/**
 * Packages written as ES modules (the unified, micromark and hast families:
 * hundreds of small files) go into the bundle. CommonJS packages stay in
 * node_modules and load as Node loads them from the sources: bundling them
 * changes how their exports reach an `import` (citation-js lost its `plugins`).
 */
const onlyEsmPackages = {
  name: 'only-esm-packages',
  setup(build) {
    const kinds = new Map()
    build.onResolve({ filter: /^[^./#]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true }
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]
      if (!kinds.has(name)) {
        let type
        try {
          type = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).type
        } catch {
          type = undefined
        }
        kinds.set(name, type === 'module')
      }
      return kinds.get(name) ? undefined : { external: true }
    })
  },
}

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
  plugins: [onlyEsmPackages],
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
