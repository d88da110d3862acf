/**
 * `quire check` end to end, through the CLI: a manuscript with every problem
 * the linter knows (test/books/lint/dirty) and its clean twin, the JSON
 * report, and `--fix` on real files (backups, byte order marks, CRLF).
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { analyze } from '../src/build.ts'
import { toDiagnostics } from '../src/diagnostics/report.ts'
import { cli, manuscript, ROOT } from './helpers.ts'

const books = path.join(ROOT, 'test/books/lint')
// The fixture folders are the working directory: their cache goes elsewhere.
const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'quire-check-cache-'))

interface Diagnostic {
  file: string
  line: number
  column: number
  endLine: number | null
  endColumn: number | null
  ruleId: string
  severity: string
  message: string
}

/** Every problem the issue lists, by rule id: each must be found in the dirty manuscript. */
const required = [
  'section-number-sequence', 'section-number-mismatch', 'chapter-number-duplicate', 'chapter-title-guessed', 'chapter-empty',
  'citation-unmapped', 'citation-key-unknown', 'citation-marker-sequence', 'reference-uncited', 'reference-duplicate',
  'residue-hashtags', 'residue-share-line', 'residue-tracking', 'residue-entity', 'residue-emoji',
  'placeholder', 'number-zeroed', 'unit-number-missing',
  'quotes-straight-html', 'spaces-doubled', 'space-before-punctuation', 'blank-lines-run', 'dateline-lowercase',
  'asset-missing', 'asset-outside', 'link-file-missing', 'link-target-unknown',
]

test('check --format json reports every problem of the dirty manuscript with its rule and position', async () => {
  const result = await cli(['check', '.', '--format', 'json', '--cache-dir', cacheDir], { cwd: path.join(books, 'dirty') })
  assert.equal(result.code, 1, result.stderr)
  const diagnostics = JSON.parse(result.stdout) as Diagnostic[]
  const expectedFile = path.join(books, 'expected.json')
  if (process.env.UPDATE) await writeFile(expectedFile, JSON.stringify(diagnostics, null, 2) + '\n')
  assert.deepEqual(diagnostics, JSON.parse(await readFile(expectedFile, 'utf8')))
  const found = new Set(diagnostics.map((d) => d.ruleId))
  assert.deepEqual(required.filter((rule) => !found.has(rule)), [])
  // Positions are spans that exist in the files and hold what the message quotes.
  for (const d of diagnostics) {
    const text = await readFile(path.join(books, 'dirty', d.file), 'utf8')
    const lines = text.split('\n')
    assert.ok(d.line >= 1 && d.line <= Math.max(1, lines.length), `${d.file}:${d.line}`)
    if (d.endLine === d.line && d.endColumn !== null && /`([^`]+)`/.test(d.message) && d.ruleId !== 'chapter-number-duplicate') {
      const span = lines[d.line - 1]!.slice(d.column - 1, d.endColumn - 1)
      assert.ok(span.length > 0, `${d.file}:${d.line}:${d.column} ${d.ruleId}: empty span`)
    }
  }
})

test('check --format json reports nothing on the clean twin', async () => {
  const result = await cli(['check', '.', '--format', 'json', '--cache-dir', cacheDir], { cwd: path.join(books, 'clean') })
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(JSON.parse(result.stdout), [])
})

test('check --fix rewrites only the fixable spans, keeps FILE.orig, then reports what remains', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-fix-cli-'))
  await cp(path.join(books, 'dirty'), dir, { recursive: true })
  const before = new Map<string, Buffer>()
  for (const name of await readdir(dir)) if (name.endsWith('.md')) before.set(name, await readFile(path.join(dir, name)))
  const result = await cli(['check', '.', '--fix', '--format', 'json'], { cwd: dir })
  assert.equal(result.code, 1, 'placeholders and the rest remain errors')
  assert.match(result.stderr, /08-pasted\.md:6:46: fixed residue-tracking: removed `utm_source`, `utm_medium`/)
  assert.match(result.stderr, /09-untitled\.md:2:1: fixed blank-lines-run: collapsed 4 blank lines/)
  assert.match(result.stderr, /quire: fixed 9 problems in 2 files/)
  const remaining = JSON.parse(result.stdout) as Diagnostic[]
  const fixable = ['residue-tracking', 'spaces-doubled', 'space-before-punctuation', 'blank-lines-run', 'residue-hashtags', 'residue-share-line']
  assert.deepEqual(remaining.filter((d) => fixable.includes(d.ruleId)), [])
  // The emoji run ends its paragraph after a sentence: removed too.
  assert.ok(!remaining.some((d) => d.ruleId === 'residue-emoji'))
  assert.equal(
    await readFile(path.join(dir, '08-pasted.md'), 'utf8'),
    ['---', 'title: Pasted', 'number: 7', '---', '', 'Read [the report](https://example.com/r?id=7) with a space&nbsp;pasted in.', '', 'The summit ended on Friday.', '', 'What a day it was.', ''].join('\n'),
  )
  assert.equal(
    await readFile(path.join(dir, '09-untitled.md'), 'utf8'),
    ['The treaty was signed. Nobody came, and nobody said why.', '', '<p class="note">He said "no".</p>', ''].join('\n'),
  )
  for (const [name, bytes] of before) {
    const changed = !bytes.equals(await readFile(path.join(dir, name)))
    assert.equal(existsSync(path.join(dir, `${name}.orig`)), changed, name)
    if (changed) assert.deepEqual(await readFile(path.join(dir, `${name}.orig`)), bytes)
  }
  // A second run finds nothing to fix and writes nothing.
  const again = await cli(['check', '.', '--fix', '-q'], { cwd: dir })
  assert.match(again.stderr, /quire: nothing to fix/)
  assert.ok(!existsSync(path.join(dir, '08-pasted.md.orig.2')))
})

test('check --fix keeps a byte order mark and CRLF line endings, and --no-backup keeps no original', async () => {
  const original = '\uFEFF# Crlf\r\n\r\nThe treaty was signed.  Nobody came .\r\n\r\n\r\n\r\n\r\nCafé, naïve, 1961.\r\n'
  const dir = await manuscript({ 'book.yaml': 'title: T\nauthor: A\n', '01-crlf.md': original })
  const result = await cli(['check', '.', '--fix', '--no-backup'], { cwd: dir })
  assert.equal(result.code, 0, result.stderr + result.stdout)
  const fixed = await readFile(path.join(dir, '01-crlf.md'))
  assert.deepEqual(fixed, Buffer.from('\uFEFF# Crlf\r\n\r\nThe treaty was signed. Nobody came.\r\n\r\nCafé, naïve, 1961.\r\n'))
  assert.ok(!existsSync(path.join(dir, '01-crlf.md.orig')))
  assert.equal((await cli(['check', '.', '--no-backup'], { cwd: dir })).code, 2, '--no-backup without --fix is a usage error')
})

test('check --fix settles overlapping fixes in further passes of one run, keeping the first original', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: T\nauthor: A\n', '01-a.md': '# A\n\nThe word  , and then.  #A #B\n' })
  const result = await cli(['check', '.', '--fix'], { cwd: dir })
  assert.equal(await readFile(path.join(dir, '01-a.md'), 'utf8'), '# A\n\nThe word, and then.\n')
  assert.equal(await readFile(path.join(dir, '01-a.md.orig'), 'utf8'), '# A\n\nThe word  , and then.  #A #B\n')
  assert.ok(!existsSync(path.join(dir, '01-a.md.orig.2')))
  assert.match(result.stderr, /quire: fixed \d+ problems in 1 file\n/)
})

test('check --fix never overwrites an earlier original', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: T\nauthor: A\n', '01-a.md': '# A\n\nOne  two.\n', '01-a.md.orig': 'the first original\n' })
  await cli(['check', '.', '--fix'], { cwd: dir })
  assert.equal(await readFile(path.join(dir, '01-a.md.orig'), 'utf8'), 'the first original\n')
  assert.equal(await readFile(path.join(dir, '01-a.md.orig.2'), 'utf8'), '# A\n\nOne  two.\n')
  assert.equal(await readFile(path.join(dir, '01-a.md'), 'utf8'), '# A\n\nOne two.\n')
})

test('check reports what a build reports, without formatting a citation', async () => {
  for (const book of [path.join(books, 'dirty'), path.join(ROOT, 'test/books/cold-war'), path.join(ROOT, 'test/books/torture'), path.join(ROOT, 'chapters')]) {
    const built = await analyze({ manuscript: book, cwd: book })
    const checked = await analyze({ manuscript: book, cwd: book, formatCitations: false })
    assert.deepEqual(toDiagnostics(checked.files), toDiagnostics(built.files), book)
    assert.equal(checked.book.bibliography, undefined)
  }
})
