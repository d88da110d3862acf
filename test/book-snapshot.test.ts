/**
 * The whole book model of a small real manuscript, as the renderers receive
 * it, against a stored JSON snapshot: any change to what a stage hands on
 * (chapter facts, notes, citations, the bibliography, the HTML trees) shows
 * up here as a diff to read. `UPDATE=1` rewrites it after a deliberate change.
 */
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { analyze } from '../src/build.ts'
import { ROOT } from './helpers.ts'

for (const name of ['cold-war', 'torture']) {
  test(`the book model of test/books/${name} matches its snapshot`, async () => {
    const dir = path.join(ROOT, 'test', 'books', name)
    const { book } = await analyze({ manuscript: dir, cwd: dir, cacheDir: false, jobs: 1 })
    // Source positions are the parser’s business, and the repository’s path is this machine’s (a digest hashes it).
    const json = JSON.stringify(book, (key, value: unknown) => (key === 'position' || key === 'mdast' || key === 'digest' ? undefined : typeof value === 'string' && value.startsWith(ROOT) ? `<repo>${value.slice(ROOT.length)}` : value), 1) + '\n'
    const expected = path.join(ROOT, 'test', 'snapshots', `${name}.book.json`)
    if (process.env.UPDATE) await writeFile(expected, json)
    assert.equal(json, await readFile(expected, 'utf8'))
  })
}
