/**
 * Hostile input files: text in another encoding, paragraphs dense enough
 * with emphasis marks to hang the parser, a chapter that is a link out of
 * the book, YAML alias bombs, and markup in a CSL style or reference. Each
 * is refused or reported at its place, never published as mojibake, never
 * left to run for minutes, never skipped without a word.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { assertValidEditions, diagnostic, runHostile } from './harness.ts'
import { cli } from '../helpers.ts'

const chapter = (body: string) => `---\ntitle: Hostile\n---\n${body}\n`
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
const utf16be = (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])

test('UTF-16 chapters (either byte order) are read as text; check --fix writes one back as UTF-16', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': utf16le('title: Sixteen\n'),
      '01-le.md': utf16le(chapter('Ça marche: “quotes”, em—dash, 東 and 😀 aside.')),
      '02-be.md': utf16be(chapter('Größe matters  here.')),
    },
  })
  await assertValidEditions(result)
  assert.deepEqual(result.diagnostics.filter((entry) => entry.ruleId === 'glyph-missing' && /02-be/.test(entry.file)), [])
  const page = result.outputs.get('html/01-le.html')!.toString('utf8')
  assert.match(page, /Ça marche/)
  assert.match(result.outputs.get('html/02-be.html')!.toString('utf8'), /Größe matters/)
  const doubled = diagnostic(result, 'spaces-doubled')
  assert.deepEqual([doubled.file.replace(/^.*\//, ''), doubled.line, doubled.column], ['02-be.md', 4, 14])
  const fixed = await cli(['check', result.dir, '--fix', '--no-backup', '--no-cache'], { cwd: path.dirname(result.dir) })
  assert.match(fixed.stdout + fixed.stderr, /fixed spaces-doubled/)
  assert.deepEqual(await readFile(path.join(result.dir, '02-be.md')), utf16be(chapter('Größe matters here.')))
})

test('invalid UTF-8 and UTF-32 are refused at the first bad byte, in chapters, book.yaml and bibliographies', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Bytes\nbibliography: refs.json\n',
      'refs.json': Buffer.concat([Buffer.from('[{"id": "a", "type": "book", "title": "Ab'), Buffer.from([0xff]), Buffer.from('"}]\n')]),
      '01-latin.md': Buffer.concat([Buffer.from('---\ntitle: Latin\n---\nFirst line.\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait.\n')]),
      '02-wide.md': Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('T\0\0\0', 'latin1')]),
    },
  })
  assert.equal(result.code, 1)
  const found = result.diagnostics.filter((entry) => entry.ruleId === 'encoding-invalid').map((entry) => `${entry.file.replace(/^.*\//, '')}:${entry.line}:${entry.column}`)
  assert.deepEqual(found.sort(), ['01-latin.md:5:4', '02-wide.md:1:1', 'refs.json:1:42'])
  assert.match(diagnostic(result, 'encoding-invalid').message, /save the file as UTF-8/)
  const yaml = await runHostile({ files: { 'book.yaml': Buffer.from([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]), '01-a.md': chapter('Text.') } })
  assert.equal(yaml.code, 1)
  const inYaml = diagnostic(yaml, 'encoding-invalid')
  assert.deepEqual([inYaml.file.replace(/^.*\//, ''), inYaml.line, inYaml.column], ['book.yaml', 1, 11])
})

test('a paragraph dense with emphasis marks is refused, not parsed for minutes', async () => {
  // Three chapters, one build: each gets its own refusal at its own line.
  const refused = await runHostile({
    files: {
      'book.yaml': 'title: Dense\n',
      '01-stars.md': chapter(`Intro.\n\n${'*a_'.repeat(60_000)}`),
      '02-pairs.md': chapter('a*b '.repeat(40_000)),
      // Many paragraphs, each under the limit: the chapter's own limit stops them.
      '03-many.md': chapter(`${'*a_'.repeat(400)}\n\n`.repeat(70)),
    },
  })
  assert.equal(refused.code, 1)
  const at = (file: string) => refused.diagnostics.filter((entry) => entry.ruleId === 'chapter-too-complex' && entry.file.endsWith(file)).map((entry) => [entry.line, entry.column])
  assert.deepEqual(at('01-stars.md'), [[6, 1]])
  assert.deepEqual(at('02-pairs.md'), [[4, 1]])
  assert.deepEqual(at('03-many.md').map(([line]) => line), [128])
  // A long chapter with emphasis every dozen words, one paragraph per line, is not refused.
  const sentence = 'The *delegates* arrived in the rain and the **council** met at dawn while the _minister_ waited. '
  const lines = Array.from({ length: 200 }, () => sentence.repeat(4).trim())
  const result = await runHostile({ files: { 'book.yaml': 'title: Emphatic\n', '01-emphatic.md': chapter(lines.join('\n')) } })
  await assertValidEditions(result)
  assert.deepEqual(result.diagnostics.filter((entry) => entry.ruleId === 'chapter-too-complex'), [])
})

test('a chapter that is a link to a file outside the book is reported, and never read', async () => {
  const result = await runHostile({
    files: { 'book.yaml': 'title: Linked\n', '01-real.md': chapter('Text.') },
    symlinks: { '02-secret.md': '{{CANARY}}' },
  })
  assert.equal(result.code, 1)
  const found = diagnostic(result, 'chapter-outside')
  assert.deepEqual([found.file.replace(/^.*\//, ''), found.line, found.column], ['02-secret.md', 1, 1])
  assert.match(found.message, /canary\.txt/)
})

test('YAML alias bombs are refused at the alias, in book.yaml, front matter and CSL-YAML alike', async () => {
  const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'
  const result = await runHostile({
    files: {
      'book.yaml': `title: Bombs\n${bomb}`,
      '01-a.md': `---\ntitle: Bomb\n${bomb}---\nText.\n`,
    },
  })
  assert.equal(result.code, 1)
  const inBook = diagnostic(result, 'config-syntax')
  assert.deepEqual([inBook.file.replace(/^.*\//, ''), inBook.line, inBook.column], ['book.yaml', 3, 8])
  assert.match(inBook.message, /write the values out/)
  const inChapter = diagnostic(result, 'front-matter-invalid')
  assert.deepEqual([inChapter.file.replace(/^.*\//, ''), inChapter.line, inChapter.column], ['01-a.md', 4, 8])
  const yaml = await runHostile({
    files: { 'book.yaml': 'title: Refs\nbibliography: refs.yaml\n', 'refs.yaml': `- id: a\n  type: book\n  note: &n [1,2,3,4,5,6,7,8,9,10]\n  x: [${'*n,'.repeat(120)}*n]\n`, '01-a.md': chapter('Text [@a].') },
  })
  assert.equal(yaml.code, 1)
  const inRefs = diagnostic(yaml, 'bibliography-syntax')
  assert.deepEqual([inRefs.file.replace(/^.*\//, ''), inRefs.line, inRefs.column], ['refs.yaml', 4, 7])
})

test('markup in a CSL style prefix or a reference is reported once, there, and prints as text', async () => {
  const style = (await readFile(new URL('../books/house.csl', import.meta.url), 'utf8')).replace('<layout prefix="["', '<layout prefix="&lt;img src=&quot;{{SERVER}}/p.png&quot;&gt;["')
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Styled\nbibliography: refs.json\ncitation-style: house.csl\n',
      'styles/house.csl': style,
      'refs.json': JSON.stringify([{ id: 'k1', type: 'book', title: 'A <img src="{{SERVER}}/t.png"> title', author: [{ family: 'Kennan', given: 'G' }], issued: { 'date-parts': [[1947]] } }]),
      '01-one.md': chapter('Text [@k1].'),
      '02-two.md': chapter('More [@k1].'),
    },
  })
  await assertValidEditions(result)
  const unsafe = result.diagnostics.filter((entry) => entry.ruleId === 'unsafe-html').map((entry) => `${entry.file.replace(/^.*\//, '')}:${entry.line}:${entry.column}`)
  assert.deepEqual(unsafe.sort(), ['house.csl:10:13', 'refs.json:1:3'])
  assert.deepEqual(result.diagnostics.filter((entry) => /\.md$/.test(entry.file) && entry.severity !== 'info'), [])
  for (const [name, bytes] of result.outputs) {
    if (/\.x?html$/.test(name)) assert.doesNotMatch(bytes.toString('utf8'), /<img[^>]*p\.png|<img[^>]*t\.png/, name)
  }
})
