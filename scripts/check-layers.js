#!/usr/bin/env node
// The folders of src/ in the order data flows through them, as the "How it is
// built" section of docs/architecture.md lists them: a folder may import from
// itself and from the folders listed above it, never from one below. Prints
// each import that breaks the order and exits 1 if there is one. Type-only
// imports count too: a stage's types belong to it or to what it reads.
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The document whose "How it is built" section lists the layers. */
export const LAYERS_DOC = path.join(root, 'docs', 'architecture.md')
const DOC_NAME = 'docs/architecture.md'

/** The layers, top of the document's tree first: `  name/` or `  build.ts` lines of its first code block. */
export function layerOrder(doc) {
  const section = doc.split(/^## How it is built$/m)[1]
  if (!section) throw new Error(`${DOC_NAME} has no "## How it is built" section`)
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
  const start = block.indexOf('src/\n')
  if (start < 0) throw new Error('The "How it is built" block lists no src/ tree')
  const order = []
  for (const line of block.slice(start + 5).split('\n')) {
    const match = /^ {2}([\w.-]+\/?)(?:\s|$)/.exec(line)
    if (match) order.push(match[1].replace(/\/$/, ''))
    else if (/^\S/.test(line)) break
  }
  return order
}

/** Every relative import of a source file: static, dynamic and re-exports. */
function importsOf(text) {
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((match) => match[1])
}

/** The layer a path under src/ belongs to: its first folder, or the file itself at the top (build.ts). */
function layerOf(relative) {
  return relative.split(path.sep)[0]
}

export function violations(srcDir, order) {
  const found = []
  const files = readdirSync(srcDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && /\.[jt]s$/.test(entry.name))
  for (const entry of files) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name)
    const from = layerOf(path.relative(srcDir, file))
    const fromRank = order.indexOf(from)
    if (fromRank < 0) {
      found.push(`${path.relative(root, file)}: its folder \`${from}\` is not in ${DOC_NAME}'s "How it is built" list`)
      continue
    }
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), specifier)
      const relative = path.relative(srcDir, target)
      if (relative.startsWith('..')) continue
      const to = layerOf(relative)
      if (order.indexOf(to) > fromRank) found.push(`${path.relative(root, file)} imports ${specifier}: \`${from}\` comes before \`${to}\` in the data flow`)
    }
  }
  return found
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const order = layerOrder(readFileSync(LAYERS_DOC, 'utf8'))
  const found = violations(path.join(root, 'src'), order)
  for (const line of found) console.log(line)
  console.log(found.length === 0 ? `layers: ${order.join(' → ')}: every import goes up the list` : `${found.length} imports break the order`)
  process.exitCode = found.length === 0 ? 0 : 1
}
