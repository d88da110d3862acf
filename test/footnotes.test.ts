/**
 * `notes: footnotes` and `print-isbn:`, read back from the printed PDF and
 * the EPUB: the sample book, with
 * a note longer than a page, a note in a block quotation and one in a table
 * added to chapter 2, printed as two jobs. For every note: its call's link
 * and its text are on the same page, and its text is on that one page only
 * (a note that runs on continues on the next page and nowhere else); the
 * contents still name the pages their headings are printed on. The notes'
 * text comes from the web edition, built from the same manuscript. The
 * EPUB marks where each printed page of the body begins, with a page list:
 * each marker is followed by the words its page begins with.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import { fromHtml } from 'hast-util-from-html'
import { ace, attr, epubcheck, openEpub, select, toString, type OpenedEpub } from './epub-helpers.ts'
import { cli, ROOT } from './helpers.ts'
import { contentsEntries, flat, folio, linkPages, lines, openPdf, type OpenedPdf } from './pdf-helpers.ts'

const LONG = Array.from({ length: 40 }, (_, index) => `Sentence ${index + 1} of the long note argues with a source in the margin of the argument.`).join(' ')
const ADDED = [
  '',
  'A closing remark with a long note.[^long] And a second sentence with a short note.[^short]',
  '',
  '> A quotation that needs its own note.[^quoted] It goes on for a while, so that the quotation is more than a line long.',
  '',
  '| Year | Event |',
  '| ---- | ----- |',
  '| 1961 | A conference in a table.[^tabled] |',
  '',
  `[^long]: ${LONG} The end of the long note.`,
  '',
  '[^short]: The short note.',
  '',
  '[^quoted]: The note of the quotation.',
  '',
  '[^tabled]: The note of the table.',
  '',
].join('\n')

let pdf: OpenedPdf
let epub: OpenedEpub
let epubFile: string
/** Each note: chapter number, note number, its words. */
let notes: { chapter: number; number: number; words: string }[]
/** Note id → the pages holding a link to it at least 2 pt tall (a call's link can leave a sliver on the page before). */
let callPages: Map<string, number[]>

before(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-footnotes-'))
  await cp(path.join(ROOT, 'chapters'), dir, { recursive: true })
  await writeFile(path.join(dir, 'book.yaml'), `${await readFile(path.join(dir, 'book.yaml'), 'utf8')}\nnotes: footnotes\nprint-isbn: 978-3-16-148410-0\n`)
  const chapter = path.join(dir, '02-paragraphs-and-sections.md')
  await writeFile(chapter, `${(await readFile(chapter, 'utf8')).trimEnd()}\n${ADDED}`)
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-footnotes-out-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'html,epub,pdf'], { env: { QUIRE_PDF_JOBS: '2' } })
  assert.equal(result.code, 0, result.stderr)
  epubFile = path.join(out, 'writing-with-quire.epub')
  ;[pdf, epub] = await Promise.all([openPdf(path.join(out, 'writing-with-quire.pdf')), openEpub(epubFile)])

  notes = []
  for (const file of (await readdir(path.join(out, 'html'))).filter((name) => /^\d\d-.*\.html$/.test(name)).sort()) {
    const tree = fromHtml(await readFile(path.join(out, 'html', file), 'utf8'))
    for (const note of select(tree, (node) => node.tagName === 'li' && /^ch-\d+-note-\d+$/.test(attr(node, 'id') ?? ''))) {
      const [, chapterNumber, number] = /^ch-(\d+)-note-(\d+)$/.exec(attr(note, 'id')!)!
      notes.push({ chapter: Number(chapterNumber), number: Number(number), words: flat(toString(note).replace('↩︎', '')) })
    }
  }

  callPages = await linkPages(pdf.file)
})

/** A page's text as one line, words broken at line ends joined again. */
const pageText = (index: number) => flat(pdf.pages[index]!.replace(/-\n\s*/g, ''))
/** The pages (1-based) whose text holds `words`. */
const pagesWith = (words: string) => pdf.pages.flatMap((_, index) => (pageText(index).includes(words) ? [index + 1] : []))

test('every note is printed at the foot of the page of its call, once, numbered as called', () => {
  assert.ok(notes.length >= 34, `the sample's 30 notes and the 4 added (${notes.length})`)
  for (const note of notes) {
    const id = `ch-${note.chapter}-note-${note.number}`
    const calls = callPages.get(id)
    assert.ok(calls && calls.length > 0, `${id} is called by a link`)
    // The note's opening words, after its number as the list prints it.
    const opening = `${note.number}. ${note.words.split(' ').slice(0, 6).join(' ')}`
    assert.ok(pagesWith(opening).includes(calls[0]!), `${id} ("${opening}") is on the page of its call (page ${calls[0]})`)
    // Printed once: as often in the book as notes open so (another chapter may cite the same work as its note of that number).
    const same = notes.filter((other) => `${other.number}. ${other.words.split(' ').slice(0, 6).join(' ')}` === opening).length
    assert.equal(pagesWith(opening).length, same, `${id} is printed once`)
  }
})

test('a note longer than the room left runs on to the foot of the next page, and only there', () => {
  const long = notes.find((note) => note.words.startsWith('Sentence 1 of the long note'))!
  const call = callPages.get(`ch-2-note-${long.number}`)![0]!
  assert.deepEqual(pagesWith(`${long.number}. Sentence 1 of the long note`), [call])
  assert.deepEqual(pagesWith('The end of the long note.'), [call + 1], 'its end is on the next page')
  // Split at a line: every sentence is printed, once.
  for (let sentence = 1; sentence <= 40; sentence++) assert.equal(pagesWith(`Sentence ${sentence} of the long`).length, 1, `sentence ${sentence} of the long note is printed once`)
  // The note called after it on the same paragraph starts on the page its call is on: after the remainder, or with its call moved on.
  const short = notes.find((note) => note.words === 'The short note.')!
  assert.deepEqual(pagesWith(`${short.number}. The short note.`), [callPages.get(`ch-2-note-${short.number}`)![0]])
})

test('the contents name the pages their headings are printed on, and the folios run on without a gap', () => {
  const contents = pdf.pages.findIndex((page) => page.includes('CONTENTS'))
  const entries = contentsEntries(pdf.pages.slice(contents, contents + 2))
  assert.ok(entries.length >= 15, `contents entries (${entries.length})`)
  const folios = pdf.pages.map((page) => folio(page))
  for (const entry of entries) {
    const title = entry.label.replace(/^\d+(\.\d+)*\s+/, '')
    const page = pdf.pages.findIndex((text, index) => index > contents + 1 && lines(text).some((line) => flat(line) === entry.label || flat(line) === title))
    assert.ok(page > 0, `"${title}" is printed`)
    // The page shows the folio the contents name, or none (a chapter's opening page prints none); then its neighbour says it.
    const shown = folios[page] ?? String(Number(folios[page + 1]) - 1)
    assert.equal(shown, entry.page, `"${entry.label}" is on page ${entry.page}`)
  }
  const arabic = folios.flatMap((value, index) => (value && /^\d+$/.test(value) ? [[index, Number(value)] as const] : []))
  for (const [at, [index, value]] of arabic.entries()) if (at > 0) assert.equal(value - arabic[at - 1]![1], index - arabic[at - 1]![0], `folio ${value} follows on`)
  assert.equal(Number(pdf.info.Pages), pdf.pages.length)
})

test('the EPUB marks where each printed page of the body begins, in the text that begins it, with a page list', async () => {
  // The body's pages: from folio 1 (counted back from the first page that prints a folio) to the end.
  const shown = pdf.pages.findIndex((page) => /^\d+$/.test(folio(page) ?? ''))
  const first = shown - Number(folio(pdf.pages[shown]!)) + 1
  const bodyPages = pdf.pages.length - first
  const words = (text: string) => text.replace(/-\n\s*/g, '').replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean)
  const markers: { label: string; after: string[] }[] = []
  for (const name of epub.names.filter((file) => file.endsWith('.xhtml'))) {
    const xhtml = await epub.text(name)
    for (const match of xhtml.matchAll(/<span id="page-(\d+)"([^>]*)\/?>(?:<\/span>)?/g)) {
      assert.match(match[2]!, /epub:type="pagebreak"/)
      assert.match(match[2]!, /role="doc-pagebreak"/)
      assert.match(match[2]!, new RegExp(`aria-label="${match[1]}"`))
      markers.push({ label: match[1]!, after: words(xhtml.slice(match.index! + match[0].length).replace(/<[^>]+>/g, ' ')).slice(0, 5) })
    }
  }
  assert.deepEqual(markers.map((marker) => marker.label), Array.from({ length: bodyPages }, (_, index) => String(index + 1)), 'one marker per printed page of the body, in order')
  for (const marker of markers) {
    // A blank page (a verso before a chapter) begins where the next page does.
    let index = first + Number(marker.label) - 1
    while (words(pdf.pages[index]!).length === 0 && index + 1 < pdf.pages.length) index++
    const page = words(pdf.pages[index]!).join(' ')
    // A word's slack: a page that begins inside a word has its marker after that word.
    const opening = page.split(' ').slice(0, 30)
    // A table's cells come out of pdftotext side by side, wrapped words apart: there, the words are among the page's first.
    const found = page.includes(marker.after.slice(0, 4).join(' ')) || page.includes(marker.after.slice(1, 5).join(' ')) || marker.after.slice(0, 3).every((word) => opening.includes(word))
    assert.ok(found, `page ${marker.label} begins with "${marker.after.join(' ')}": ${page.slice(0, 120)}`)
  }
  const nav = await epub.text('OEBPS/toc.xhtml')
  const list = /<nav epub:type="page-list"[^>]*>([\s\S]*?)<\/nav>/.exec(nav)
  assert.ok(list, 'a page-list nav')
  assert.equal([...list[1]!.matchAll(/<a href="[^"#]+#page-\d+">\d+<\/a>/g)].length, bodyPages)
  const opf = await epub.text('OEBPS/content.opf')
  assert.match(opf, /<dc:source id="print-source">urn:isbn:9783161484100<\/dc:source>/)
  assert.match(opf, /<meta refines="#print-source" property="source-of">pagination<\/meta>/)
  const [checked, accessibility] = await Promise.all([epubcheck(epubFile), ace(epubFile)])
  assert.equal(checked.fatals + checked.errors + checked.warnings, 0, checked.output)
  assert.deepEqual(accessibility.violations, [])
})
