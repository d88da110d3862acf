/**
 * The back-of-book index and page references, read back from the real
 * editions of a fixture book with 30 index marks (headings filed under
 * another term, sub-entries, see and see-also, a range across pages) and
 * {.page} links to sections: every page number the printed index gives is
 * a page where the marked words are printed; the range and consecutive pages
 * are merged; every "p. N" names the page its heading is printed on; the
 * EPUB's index links all lead to the marks, and epubcheck passes.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import { attr, epubcheck, openEpub, select, type OpenedEpub } from './epub-helpers.ts'
import { cli, manuscript } from './helpers.ts'
import { flat, folio, lines, openPdf, type OpenedPdf } from './pdf-helpers.ts'

const FILLER = 'The delegations met again in the long hall, and the interpreters worked through the afternoon while the minutes were typed and retyped for the ministers who would read them that night.'
const filler = (count: number) => Array.from({ length: count }, () => FILLER).join(' ')

/** Each chapter: paragraphs, some with marks. Marked words (what the page shows) are listed per heading below. */
const CHAPTERS: Record<string, string> = {
  '01-arrival.md': [
    '# Chapter 1: Arrival',
    '1.1 The Harbour',
    `The [Great Leader]{.index term="Kim Il Sung" sub="titles"} arrived by train. ${filler(3)}`,
    `[Juche]{.index} was announced in a speech. [Kimilsungism]{.index see="Juche"} came later. ${filler(4)}`,
    `[Stalin]{.index} sent a telegram. ${filler(5)}`,
    `[Kim Il Sung]{.index} spoke at noon. ${filler(2)} [Juche]{.index} again. ${filler(3)}`,
    '1.2 The Ministry',
    `[The purges]{.index range=start} began in the ministry that winter. ${filler(6)}`,
    `[Kim Il Sung]{.index} signed the order. ${filler(6)}`,
    `The [purges ended]{.index range=end term="The purges"} with the thaw. See [§ 2.2](02-talks.md#sec-2-2){.page} for what followed. ${filler(2)}`,
  ].join('\n\n'),
  '02-talks.md': [
    '# Chapter 2: Talks',
    '2.1 Delegations',
    `[Stalin]{.index see-also="Kim Il Sung"} received them in [Moscow]{.index}. ${filler(4)}`,
    `[Moscow]{.index sub="embassy"} kept the files. [Juche]{.index} was not discussed. ${filler(5)}`,
    `[Zhou Enlai]{.index} arrived late. ${filler(4)}`,
    '2.2 The Treaty',
    `The [treaty]{.index term="Treaty of 1961"} was signed. See [§ 1.2](01-arrival.md#sec-1-2){.page}. ${filler(5)}`,
    `[Zhou Enlai]{.index} toasted. [Kim Il Sung]{.index} replied. ${filler(5)}`,
    `[Äpfel]{.index} and [apples]{.index} were served. ${filler(3)}`,
  ].join('\n\n'),
  '03-return.md': [
    '# Chapter 3: Return',
    '3.1 The Train',
    `[Moscow]{.index} faded behind them. [Kim Il Sung]{.index sub="titles"} was now the title in print. ${filler(4)}`,
    `[Juche]{.index sub="in schools"} entered the schools. ${filler(5)}`,
    `[Stalin]{.index} was not mentioned. [Zhou Enlai]{.index} wrote. ${filler(4)}`,
    '3.2 Pyongyang',
    `[Treaty of 1961]{.index} was printed in full. See [§ 3.1](#sec-3-1){.page} and [§ 2.1](02-talks.md#sec-2-1){.page}. ${filler(4)}`,
    `[Kim Il Sung]{.index} spoke. [Moscow]{.index sub="embassy"} answered. [Juche]{.index} closed the day. ${filler(2)}`,
    `[Pyongyang]{.index} slept. [Zhou Enlai]{.index sub="letters"} kept writing. ${filler(1)}`,
  ].join('\n\n'),
  '99-index.md': '---\nrole: index\n---\n\n# Index\n\nNames are filed as the sources spell them.\n',
}

/** What the page shows for each heading's marks. */
const SHOWN: Record<string, string[]> = {
  'Kim Il Sung': ['Kim Il Sung', 'Great Leader'],
  Juche: ['Juche'],
  Stalin: ['Stalin'],
  'The purges': ['The purges', 'purges ended'],
  Moscow: ['Moscow'],
  'Zhou Enlai': ['Zhou Enlai'],
  'Treaty of 1961': ['treaty', 'Treaty of 1961'],
  Äpfel: ['Äpfel'],
  apples: ['apples'],
  Pyongyang: ['Pyongyang'],
}

let pdf: OpenedPdf
let epub: OpenedEpub
let epubFile: string

before(async () => {
  const dir = await manuscript({ 'book.yaml': 'title: The Long Winter\nauthor: Ines Varga\ndate: 2025-05-01\n', ...CHAPTERS })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-index-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'epub,pdf'])
  assert.equal(result.code, 0, result.stderr)
  epubFile = path.join(out, 'the-long-winter.epub')
  ;[pdf, epub] = await Promise.all([openPdf(path.join(out, 'the-long-winter.pdf')), openEpub(epubFile)])
})

test('the book has 30 index marks, each a span with an id in its chapter', async () => {
  let count = 0
  for (const name of epub.names.filter((file) => /\/0\d-.*\.xhtml$/.test(file))) count += select(await epub.tree(name), (node) => String(node.properties.className) === 'index-mark' && Boolean(attr(node, 'id'))).length
  assert.equal(count, 30)
})

/** The 0-based page printing body folio `number` (folios count on from any page that shows one). */
function pageOfFolio(number: number): number {
  const shown = pdf.pages.findIndex((page) => /^\d+$/.test(folio(page) ?? ''))
  return shown + (number - Number(folio(pdf.pages[shown]!)))
}
/** A page's text in one line, words broken at line ends joined. */
const pageText = (index: number) => flat(pdf.pages[index]!.replace(/-\n\s*/g, ''))

test('every page number in the printed index is a page where the marked words are printed; ranges are merged', () => {
  const start = pdf.pages.findIndex((page) => lines(page).includes('Index') && page.includes('Names are filed'))
  assert.ok(start > 0, 'the index is printed')
  assert.equal(start, pdf.pages.length - 1 - (pdf.pages.length - 1 - start), 'it is at the end')
  const indexLines = pdf.pages.slice(start).flatMap((page) => lines(page.replace(/-\n\s*/g, '')))
  let heading = ''
  const checked: string[] = []
  for (const line of indexLines) {
    const match = /^(.+?), ([\d–, ]+)(?:\.|$)/.exec(line)
    if (!match) continue
    const term = match[1]!
    if (SHOWN[term]) heading = term
    const forms = SHOWN[heading] ?? [term]
    for (const part of match[2]!.split(', ')) {
      const [from, to] = part.split('–')
      const pages = [Number(from)]
      // "23–25", "101–8": the abbreviated end keeps the start's leading digits.
      if (to) pages.push(Number(from!.slice(0, from!.length - to.length) + to))
      for (const number of pages) {
        const text = pageText(pageOfFolio(number))
        assert.ok(forms.some((form) => text.includes(form)), `${heading || term}: page ${number} shows ${forms.join(' or ')} (index line "${line}")`)
        checked.push(`${term} ${number}`)
      }
    }
  }
  assert.ok(checked.length >= 15, `page numbers checked: ${checked.length}`)
  const purges = indexLines.find((line) => line.startsWith('The purges'))!
  assert.match(purges, /^The purges, \d+–\d+$/, 'the range prints as one span')
  assert.ok(indexLines.some((line) => /^Kimilsungism\. See Juche$/.test(line)), 'see')
  assert.ok(indexLines.some((line) => /^Stalin, [\d–, ]+\. See also Kim Il Sung$/.test(line)), 'see also')
  const titles = indexLines.findIndex((line) => line.startsWith('titles'))
  assert.ok(titles > indexLines.findIndex((line) => line.startsWith('Kim Il Sung')), 'the sub-entry sits under its heading')
  // Letter groups, sorted for English: Äpfel files under A, before apples.
  assert.ok(indexLines.indexOf('A') >= 0 && indexLines.findIndex((line) => line.startsWith('Äpfel')) < indexLines.findIndex((line) => line.startsWith('apples')))
})

test('every page reference names the page its heading is printed on', () => {
  const references = [...pdf.pages.join('\n').replace(/-\n\s*/g, '').matchAll(/§ (\d+\.\d+), p\. (\d+)/g)]
  assert.equal(references.length, 4)
  for (const [, section, number] of references) {
    const page = pageOfFolio(Number(number))
    assert.ok(lines(pdf.pages[page]!).some((line) => line.startsWith(`${section} `)), `§ ${section} is printed on page ${number}`)
  }
})

test('the EPUB index links every locator to its mark, with the EPUB Indexes semantics, and passes epubcheck', async () => {
  const name = epub.names.find((file) => file.endsWith('99-index.xhtml'))!
  const tree = await epub.tree(name)
  const locators = select(tree, (node) => attr(node, 'epub:type') === 'index-locator')
  assert.ok(locators.length >= 20, `locators: ${locators.length}`)
  for (const locator of locators) {
    const [file, fragment] = attr(locator, 'href')!.split('#')
    const target = await epub.tree(path.posix.join(path.posix.dirname(name), file!))
    assert.equal(select(target, (node) => attr(node, 'id') === fragment).length, 1, `${attr(locator, 'href')} leads to a mark`)
  }
  assert.ok(select(tree, (node) => attr(node, 'epub:type') === 'index-xref-preferred').length >= 1)
  assert.ok(select(tree, (node) => attr(node, 'epub:type') === 'index-xref-related').length >= 1)
  const result = await epubcheck(epubFile)
  assert.equal(result.fatals + result.errors + result.warnings, 0, result.output)
})

test('index: true in book.yaml makes the index page when no chapter file is one: last in the web edition, after the bibliography', async () => {
  const { '99-index.md': _, ...chapters } = CHAPTERS
  const dir = await manuscript({ 'book.yaml': 'title: The Long Winter\nauthor: Ines Varga\nindex: true\n', ...chapters })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-index-yaml-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'html'])
  assert.equal(result.code, 0, result.stderr)
  const page = await readFile(path.join(out, 'html', 'book-index.html'), 'utf8')
  assert.match(page, /<h1[^>]*>Index<\/h1>/)
  assert.match(page, /<li class="index-entry" id="index-kim-il-sung"><span class="index-term">Kim Il Sung<\/span>, <span class="index-locator-list"><a class="index-locator" href="01-arrival\.html#ch-1-idx-\d+"/)
  const contents = await readFile(path.join(out, 'html', 'index.html'), 'utf8')
  assert.ok(contents.indexOf('book-index.html') > contents.indexOf('03-return.html'), 'listed after the last chapter')
})
