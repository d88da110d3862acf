// The folders of src/ follow the data flow docs/architecture.md writes down: no folder imports one below it.
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
// @ts-expect-error: a plain JavaScript script, run by node without types.
import { LAYERS_DOC, layerOrder, violations } from '../scripts/check-layers.js'

const ROOT = path.resolve(import.meta.dirname, '..')

test('no folder of src/ imports a folder below it in the order docs/architecture.md gives', () => {
  assert.equal(LAYERS_DOC, path.join(ROOT, 'docs', 'architecture.md'))
  const order = layerOrder(readFileSync(LAYERS_DOC, 'utf8')) as string[]
  assert.ok(order.length >= 15, `docs/architecture.md lists ${order.join(', ')}`)
  assert.deepEqual(order.slice(0, 2), ['diagnostics', 'text'])
  assert.deepEqual(violations(path.join(ROOT, 'src'), order), [])
})

test('the layer check finds an upward import, a dynamic one and an unlisted folder', async () => {
  const src = await mkdtemp(path.join(os.tmpdir(), 'quire-layers-'))
  await mkdir(path.join(src, 'low'))
  await mkdir(path.join(src, 'high'))
  await mkdir(path.join(src, 'stray'))
  await writeFile(path.join(src, 'low', 'a.ts'), `import type { B } from '../high/b.ts'\nexport const a = () => import('../high/b.ts')\n`)
  await writeFile(path.join(src, 'high', 'b.ts'), `import { a } from '../low/a.ts'\nexport type B = typeof a\n`)
  await writeFile(path.join(src, 'stray', 'c.ts'), `export {}\n`)
  const found = violations(src, ['low', 'high']) as string[]
  assert.equal(found.filter((line) => line.includes('low/a.ts imports ../high/b.ts')).length, 2)
  assert.ok(found.some((line) => line.includes('`stray` is not in')))
  assert.equal(found.length, 3)
})
