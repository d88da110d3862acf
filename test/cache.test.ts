/**
 * The build cache and the worker pool must never change a byte: after each
 * kind of edit, a build that reuses the cache (on workers) is compared, file
 * by file, with a clean build of the same manuscript (no cache, one thread).
 * A damaged or foreign cache entry is ignored, never trusted.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { writeCorpus } from '../bench/corpus.ts'
import { build } from '../src/build.ts'
import { cacheKey, openCache } from '../src/cache/store.ts'

/** Every file under `dir` but the cache, by relative path. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const relative = path.relative(dir, full)
    if (relative.split(path.sep)[0] === '.cache') continue
    files.set(relative, await readFile(full))
  }
  return files
}

function assertSame(actual: Map<string, Buffer>, expected: Map<string, Buffer>, when: string) {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${when}: the same files`)
  for (const [name, bytes] of expected) assert.ok(actual.get(name)!.equals(bytes), `${when}: ${name} differs from a clean build`)
}

async function editText(book: string): Promise<void> {
  const file = path.join(book, '02-chapter-2.md')
  await writeFile(file, (await readFile(file, 'utf8')).replace(/(\n[A-Z][a-z]+)/, '$1 edited'))
}

/** Map chapter 3's first marker to another reference. */
async function editCitation(book: string): Promise<void> {
  const file = path.join(book, '03-chapter-3.md')
  const text = await readFile(file, 'utf8')
  const references = JSON.parse(await readFile(path.join(book, 'references.json'), 'utf8')) as { id: string }[]
  const changed = text.replace(/^( {2}1: (?:\{ key: )?)([\w]+)/m, (_, lead: string, key: string) => `${lead}${references.find((reference) => reference.id !== key)!.id}`)
  assert.notEqual(changed, text)
  await writeFile(file, changed)
}

async function cacheFiles(out: string, kind: string): Promise<string[]> {
  return (await readdir(path.join(out, '.cache', kind))).map((name) => path.join(out, '.cache', kind, name))
}

test('a build from the cache is byte for byte a clean build, after each kind of edit, the PDF printed as two jobs', { timeout: 300_000 }, async (t) => {
  // Parallel printing on (a book this small is one job by default): the cached, joined PDF must equal a clean one.
  process.env.QUIRE_PDF_JOBS = '2'
  t.after(() => delete process.env.QUIRE_PDF_JOBS)
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-cache-'))
  const book = path.join(dir, 'book')
  await writeCorpus(book, { chapters: 6, words: 500, references: 40 })
  const out = path.join(dir, 'out')
  const clean = path.join(dir, 'clean')
  const built = (target: string, cached: boolean) =>
    build({ manuscript: book, out: target, cwd: dir, draft: true, ...(cached ? { jobs: 2 } : { cacheDir: false, jobs: 1 }) })

  await built(out, true)
  const parsed = (await cacheFiles(out, 'parse')).length
  assert.equal(parsed, 6, 'every chapter parsed once is cached')

  const edits: [string, () => Promise<void>][] = [
    ['one chapter’s text edited', () => editText(book)],
    ['one chapter’s citation changed', () => editCitation(book)],
    ['book.yaml’s title changed', async () => {
      const file = path.join(book, 'book.yaml')
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^title: .*/m, 'title: A Shorter Century'))
    }],
  ]
  for (const [what, edit] of edits) {
    await edit()
    await rm(clean, { recursive: true, force: true })
    // Side by side (they share nothing but the manuscript): the time of one.
    await Promise.all([built(out, true), built(clean, false)])
    assertSame(await snapshot(out), await snapshot(clean), what)
  }
  // Only what the last build used is kept.
  assert.equal((await cacheFiles(out, 'parse')).length, 6)

  // Damage every kind of entry: flip a byte, cut one short, swap two.
  const entries = [...(await cacheFiles(out, 'parse')), ...(await cacheFiles(out, 'cite')), ...(await cacheFiles(out, 'bibliography'))]
  for (const [index, file] of entries.entries()) {
    const bytes = await readFile(file)
    if (index % 3 === 0) bytes[bytes.length - 10]! ^= 0xff
    await writeFile(file, index % 3 === 1 ? bytes.subarray(0, bytes.length >> 1) : bytes)
  }
  const [first, second] = await cacheFiles(out, 'parse')
  const firstBytes = await readFile(first!)
  await writeFile(first!, await readFile(second!))
  await writeFile(second!, firstBytes)
  await built(out, true)
  assertSame(await snapshot(out), await snapshot(clean), 'damaged cache')

  // Part lengths remembered wrong (whole entries, under their own keys) only cost the PDF a second print.
  const memory = openCache(path.join(out, '.cache'))
  const remembered = await readdir(path.join(out, '.cache', 'pdf-parts'))
  assert.equal(remembered.length, 7, 'the PDF remembers the lengths its print confirmed: every body part’s, each job’s page count confirming its last')
  for (const key of remembered) {
    const part = (await memory.get<{ pages: number; offsets: Record<string, number> }>('pdf-parts', key))!
    await memory.set('pdf-parts', key, { ...part, pages: part.pages + 1, offsets: Object.fromEntries(Object.entries(part.offsets).map(([id, page]) => [id, page + 1])) })
  }
  const steps: string[] = []
  await build({ manuscript: book, out, cwd: dir, draft: true, jobs: 2, onProgress: (event) => event.detail && steps.push(event.detail) })
  assert.ok(steps.some((step) => /printing again/.test(step)), `the wrong lengths cost a second print:\n${steps.join('\n')}`)
  assertSame(await snapshot(out), await snapshot(clean), 'wrong remembered part lengths')
  await rm(dir, { recursive: true, force: true })
})

test('an author-date book with chapter bibliographies, from the cache, is a clean build', { timeout: 300_000 }, async () => {
  // One batch for the whole book (disambiguation across chapters), formatted in this thread.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-cache-apa-'))
  const book = path.join(dir, 'book')
  await writeCorpus(book, { chapters: 5, words: 400, references: 30 })
  const config = path.join(book, 'book.yaml')
  await writeFile(config, (await readFile(config, 'utf8')).replace(/^citation-style: .*/m, 'citation-style: apa\nchapter-bibliographies: true'))
  const out = path.join(dir, 'out')
  const clean = path.join(dir, 'clean')
  const built = (target: string, cached: boolean) =>
    build({ manuscript: book, out: target, cwd: dir, draft: true, formats: ['html', 'epub'], ...(cached ? {} : { cacheDir: false, jobs: 1 }) })
  await built(out, true)
  for (const [what, edit] of [['a citation changed', () => editCitation(book)], ['a chapter’s text edited', () => editText(book)]] as const) {
    await edit()
    await rm(clean, { recursive: true, force: true })
    await Promise.all([built(out, true), built(clean, false)])
    assertSame(await snapshot(out), await snapshot(clean), what)
  }
  await rm(dir, { recursive: true, force: true })
})

test('a cache entry is read back only when whole and under its own key', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-cache-store-'))
  const key = cacheKey('test', 'a')
  const other = cacheKey('test', 'b')
  assert.notEqual(cacheKey('ab', 'c'), cacheKey('a', 'bc'), 'parts are delimited')
  const writer = openCache(dir)
  await writer.set('kind', key, { tree: [1, 2, 3], text: 'é' })
  assert.deepEqual(await openCache(dir).get('kind', key), { tree: [1, 2, 3], text: 'é' })
  // An entry moved under another name is not that name's value.
  await writeFile(path.join(dir, 'kind', other), await readFile(path.join(dir, 'kind', key)))
  const reader = openCache(dir)
  assert.equal(await reader.get('kind', other), undefined)
  // Garbage and a truncated entry are ignored, and named.
  await writeFile(path.join(dir, 'kind', key), 'not a cache entry')
  assert.equal(await reader.get('kind', key), undefined)
  assert.equal(reader.rejected.length, 2)
  // Unused entries are pruned, and staging files whose writer died; used ones stay, and a live writer's staging file.
  await writer.set('kind', key, 1)
  // Above Linux's largest pid (2^22 − 1), so no process has it.
  const dead = `.${other}.tmp-4194305-1`
  const live = `.${other}.tmp-${process.ppid}-1`
  for (const name of [dead, live, 'notes.txt']) await writeFile(path.join(dir, 'kind', name), 'partial')
  const pruning = openCache(dir)
  await pruning.get('kind', key)
  await pruning.prune('kind')
  assert.deepEqual((await readdir(path.join(dir, 'kind'))).sort(), [live, key, 'notes.txt'].sort())
  await rm(dir, { recursive: true, force: true })
})
