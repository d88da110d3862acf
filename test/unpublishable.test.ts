/**
 * What cannot work in a published book is an error, not a warning (issue 16):
 * links that lead nowhere and chapter files Quire would leave out. A normal
 * build refuses them and writes nothing; a draft shows each dead link as
 * text with a visible "[?]" in every edition, never as a link into nothing.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { analyze } from '../src/build.ts'
import { listChapterFiles, suggestChapterName } from '../src/manuscript/chapter-files.ts'
import { printDocument } from '../src/render/pdf/print-document.ts'
import { openEpub } from './epub-helpers.ts'
import { cli, DOT_GIF, manuscript, run } from './helpers.ts'

/** A 1×1 PNG, so the EPUB has a cover and no browser is needed to draw one. */
const DOT_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

const BROKEN_LINKS = [
  '# First',
  '',
  '1.1 Start',
  '',
  'See [nowhere](#no-such-id), [the other](02-second.md#sec-2-9), [the notes](notes.md#x) and [the data](data/missing.csv).',
  '',
  'Still fine: [section 2.1](02-second.md#sec-2-1), [the top](#ch-1), [the map](images/dot.gif) and ![A dot](images/dot.gif).',
  '',
].join('\n')

async function brokenBook(): Promise<string> {
  return manuscript({
    'book.yaml': 'title: Broken\nauthor: A. Writer\ncover: cover.png\n',
    'cover.png': DOT_PNG,
    'images/dot.gif': DOT_GIF,
    '01-first.md': BROKEN_LINKS,
    '02-second.md': '# Second\n\n2.1 Only\n\nText.\n',
    '_notes.md': 'Not a chapter, and quietly so.\n',
    'notes.md': 'Not a chapter either.\n',
  })
}

/** Every way an edition's HTML could still lead nowhere. */
function assertNoDeadLinks(html: string, where: string): void {
  assert.doesNotMatch(html, /href="[^"#]*\.md[#"]/, `${where}: a link to a Markdown file`)
  assert.doesNotMatch(html, /<a(?![^>]*\bhref=)(?![^>]*\bid=)[^>]*>/, `${where}: an <a> with no target`)
  assert.doesNotMatch(html, /href="[^"]*(#no-such-id|#sec-2-9|data\/missing\.csv)"/, `${where}: a dead target`)
  for (const [text, target] of [['nowhere', '#no-such-id'], ['the other', '02-second.md#sec-2-9'], ['the notes', 'notes.md#x'], ['the data', 'data/missing.csv']]) {
    assert.match(html, new RegExp(`<span class="link-unresolved" title="${target!.replace(/[.#]/g, '\\$&')}">${text}<span class="link-unresolved-marker">\\[\\?\\]</span></span>`), `${where}: ${text}`)
  }
}

test('links that lead nowhere are errors at their positions, and a normal build writes nothing', async () => {
  const dir = await brokenBook()
  const { messages } = await run(dir)
  assert.deepEqual(
    messages.filter((line) => / (link|asset)-/.test(line)).map((line) => line.replace(/^.*?(0\d-\w+\.md)/, '$1').replace(/: (Link `[^`]+`).*/, ': $1')),
    [
      '01-first.md:5:5-5:27: error link-target-unknown: Link `#no-such-id`',
      '01-first.md:5:29-5:62: error link-target-unknown: Link `02-second.md#sec-2-9`',
      '01-first.md:5:64-5:87: error link-target-unknown: Link `notes.md#x`',
      '01-first.md:5:92-5:120: error link-file-missing: Link `data/missing.csv`',
    ],
  )
  assert.ok(messages.some((line) => line.includes('which is neither a chapter nor an image of the book')))
  assert.ok(messages.some((line) => line.includes('did you mean `#sec-2-1`?')))

  const out = path.join(dir, 'out')
  const refused = await cli(['build', dir, '--out', out, '--format', 'html,epub'])
  assert.equal(refused.code, 1, refused.stderr)
  assert.match(refused.stderr, /5:5-5:27 +error +Link `#no-such-id`[^\n]*link-target-unknown/)
  assert.match(refused.stderr, /5:92-5:120 +error +Link `data\/missing\.csv`[^\n]*link-file-missing/)
  // Only the cache may be there: no edition.
  assert.ok(!existsSync(path.join(out, 'html')) && !existsSync(path.join(out, 'broken.epub')), 'nothing written')
  const checked = await cli(['check', dir, '--no-cache'])
  assert.equal(checked.code, 1)
})

test('a draft shows each dead link as text with a visible marker, in the web edition, the EPUB and the print document', async () => {
  const dir = await brokenBook()
  const out = path.join(dir, 'out')
  const draft = await cli(['build', dir, '--out', out, '--format', 'html,epub', '--draft'])
  // Written, and still exit 1: the manuscript has errors.
  assert.equal(draft.code, 1, draft.stderr)
  const page = await readFile(path.join(out, 'html/01-first.html'), 'utf8')
  assertNoDeadLinks(page, 'web edition')
  assert.match(page, /<a href="02-second\.html#sec-2-1">section 2\.1<\/a>/)
  assert.match(page, /<a href="#ch-1">the top<\/a>/)
  assert.match(page, /<a href="images\/dot\.gif">the map<\/a>/)

  const epub = await openEpub(path.join(out, 'broken.epub'))
  const xhtml = await epub.text('OEBPS/01-first.xhtml')
  assertNoDeadLinks(xhtml, 'EPUB')
  assert.match(xhtml, /<a href="02-second\.xhtml#sec-2-1">section 2\.1<\/a>/)
  // An EPUB may link only to its documents: the link to the image keeps its text.
  assert.match(xhtml, /<span>the map<\/span>/)

  const { book } = await analyze({ manuscript: dir, cwd: dir, cacheDir: false })
  const print = unified().use(rehypeStringify).stringify(printDocument(book).tree)
  assertNoDeadLinks(print, 'print document')
  assert.match(print, /<a href="#sec-2-1">section 2\.1<\/a>/)
})

test('a chapter file not named NN-slug.md fails the build with the name to give it, unless book.yaml lists the chapters', async () => {
  const files = {
    '01-opening.md': '# Opening\n\nText.\n',
    '02-middle.md': '# Middle\n\nText.\n',
    'chapter 3.md': '# Third\n\nText.\n',
    'the-long-winter.md': '# Winter\n\nText.\n',
    'README.md': 'How this folder works.\n',
    'notes.md': 'Ideas.\n',
    '_draft.md': 'Set aside.\n',
  }
  const dir = await manuscript({ 'book.yaml': 'title: Names\nauthor: A. Writer\n', ...files })
  const { messages } = await run(dir)
  const named = messages.filter((line) => line.includes('chapter-file'))
  assert.equal(named.length, 3, named.join('\n'))
  assert.match(named[0]!, /error chapter-file-name: Unexpected chapter file name `chapter 3\.md`, expected NN-slug\.md: it is not in the book\. Rename it to `03-chapter\.md`/)
  // The next number no chapter and no other file's name has taken.
  assert.match(named[1]!, /error chapter-file-name: Unexpected chapter file name `the-long-winter\.md`.*Rename it to `04-the-long-winter\.md`/)
  assert.match(named[2]!, /warning chapter-file-ignored: Ignored `notes\.md`/)
  const refused = await cli(['build', dir, '--out', path.join(dir, 'out'), '--format', 'html'])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /Rename it to `03-chapter\.md`[^\n]*chapter-file-name/)
  assert.ok(!existsSync(path.join(dir, 'out/html')))

  const listed = await manuscript({ 'book.yaml': 'title: Names\nauthor: A. Writer\nchapters:\n  - 01-opening.md\n  - chapter 3.md\n', ...files })
  const built = await cli(['build', listed, '--out', path.join(listed, 'out'), '--format', 'html'])
  assert.equal(built.code, 0, built.stderr)
  assert.doesNotMatch(built.stderr, /chapter-file/)
  assert.deepEqual((await readdir(path.join(listed, 'out/html'))).filter((name) => name.endsWith('.html')).sort(), ['01-opening.html', 'chapter-3.html', 'index.html'])
})

test('the suggested name is the number given, then a slug of the name without what its number says', () => {
  assert.equal(suggestChapterName('chapter 3.md', 3), '03-chapter.md')
  assert.equal(suggestChapterName('Chapter 12 - The Thaw.md', 12), '12-the-thaw.md')
  assert.equal(suggestChapterName('ch7_supply_lines.markdown', 7), '07-supply-lines.markdown')
  assert.equal(suggestChapterName('1. Introduction.md', 1), '01-introduction.md')
  assert.equal(suggestChapterName('The Long Winter.md', 5), '05-the-long-winter.md')
  assert.equal(suggestChapterName('berlin-1961.md', 5), '05-berlin-1961.md')
  assert.equal(suggestChapterName('epilogue.md', 104, 3), '104-epilogue.md')
})

test('suggestions keep the number in a file’s name when it is free, and never repeat a name or take a chapter’s number', async () => {
  const dir = await manuscript({ '01-a.md': 'A.', '02-b.md': 'B.', '03-c.md': 'C.', 'Chapter 3.md': 'x', 'chapter-3.md': 'y', 'chapter 7.md': 'z', 'Winter.md': 'w' })
  const { misnamed } = await listChapterFiles(dir)
  assert.deepEqual(Object.fromEntries(misnamed.map(({ name, suggestion }) => [name, suggestion])), {
    'Chapter 3.md': '04-chapter.md',
    'Winter.md': '05-winter.md',
    'chapter 7.md': '07-chapter.md',
    'chapter-3.md': '06-chapter.md',
  })
})
