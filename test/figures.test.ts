/**
 * Captioned figures in the three editions: a small book with `figures:
 * numbered`, built once (web, EPUB, PDF). Each edition must show every
 * figure with its numbered caption and list the figures after the contents,
 * the PDF's list with the folio of the page each figure is printed on.
 */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { before, test } from 'node:test'
import { fromHtml } from 'hast-util-from-html'
import { attr, epubcheck, openEpub, select, toString } from './epub-helpers.ts'
import { cli, DOT_GIF, manuscript } from './helpers.ts'
import { contentsEntries, flat, folio, openPdf, type OpenedPdf } from './pdf-helpers.ts'

const filler = (n: number) => Array.from({ length: n }, (_, i) => `Paragraph ${i + 1} of the text, long enough to fill a good part of a line on the printed page.`).join('\n')

let out = ''
let pdf: OpenedPdf

before(async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Figures\nfigures: numbered\n',
    'images/dot.gif': DOT_GIF,
    '01-maps.md': `---\ntitle: Maps\n---\n${filler(3)}\n![A map of Berlin](images/dot.gif "Figure 1. Berlin in 1961")\n${filler(40)}\n![The sectors](images/dot.gif)\n*Map 4. The four sectors.*\n${filler(3)}\n`,
    '02-charts.md': `---\ntitle: Charts\n---\n${filler(2)}\n![A chart of votes](images/dot.gif "Votes by year")\n`,
  })
  out = path.join(dir, 'out')
  const built = await cli(['build', dir, '--out', out], { cwd: dir })
  assert.equal(built.code, 0, built.stderr)
  pdf = await openPdf(path.join(out, 'figures.pdf'))
})

const captions = ['Figure 1.1. Berlin in 1961', 'Map 1.1. The four sectors.', 'Figure 2.1. Votes by year']

test('web edition: figures with numbered captions, listed on the contents page', async () => {
  const chapter = fromHtml(await readFile(path.join(out, 'html/01-maps.html'), 'utf8'))
  const figures = select(chapter, (node) => node.tagName === 'figure')
  assert.deepEqual(figures.map((figure) => flat(toString(select(figure, (node) => node.tagName === 'figcaption')[0]!))), captions.slice(0, 2))
  const index = fromHtml(await readFile(path.join(out, 'html/index.html'), 'utf8'))
  const list = select(index, (node) => node.tagName === 'nav' && (attr(node, 'className') ?? '').includes('lof'))[0]
  assert.ok(list, 'a list of figures on the contents page')
  assert.deepEqual(select(list, (node) => node.tagName === 'a').map((link) => attr(link, 'href')), ['01-maps.html#ch-1-fig-1', '01-maps.html#ch-1-fig-2', '02-charts.html#ch-2-fig-1'])
})

test('EPUB: figures in the chapters, a list of illustrations in the navigation document, and epubcheck is clean', async () => {
  const epub = await openEpub(path.join(out, 'figures.epub'))
  const chapterName = epub.names.find((name) => /01-maps\.xhtml$/.test(name))!
  const chapter = await epub.tree(chapterName)
  assert.deepEqual(select(chapter, (node) => node.tagName === 'figcaption').map((node) => flat(toString(node))), captions.slice(0, 2))
  const nav = await epub.tree(epub.names.find((name) => /toc\.xhtml$/.test(name))!)
  const loi = select(nav, (node) => node.tagName === 'nav' && attr(node, 'epub:type') === 'loi')[0]
  assert.ok(loi, 'a nav with epub:type="loi"')
  assert.equal(select(loi, (node) => node.tagName === 'li').length, 3)
  const check = await epubcheck(path.join(out, 'figures.epub'))
  assert.equal(check.errors + check.fatals + check.warnings, 0, check.output)
})

test('PDF: the captions are printed, and the list of figures gives the page each figure is on', () => {
  const text = flat(pdf.pages.join('\n'))
  for (const caption of captions) assert.ok(text.includes(caption), `${caption} is printed`)
  const entries = contentsEntries(pdf.pages).filter((entry) => /^(Figure|Map) \d/.test(entry.label))
  assert.deepEqual(entries.map((entry) => entry.label), captions)
  // Each entry's page number is the folio of the page its figure's destination is on.
  const ids = ['ch-1-fig-1', 'ch-1-fig-2', 'ch-2-fig-1']
  entries.forEach((entry, index) => {
    const page = pdf.dests.get(ids[index]!)
    assert.ok(page, `a destination for ${ids[index]}`)
    assert.ok(flat(pdf.pages[page - 1]!).includes(captions[index]!), `${captions[index]} is printed on page ${page}`)
    assert.equal(folio(pdf.pages[page - 1]!), entry.page, `${entry.label}: the list says ${entry.page}, the figure is on the page with folio ${folio(pdf.pages[page - 1]!)}`)
  })
})
