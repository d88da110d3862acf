/** The store presets' arithmetic: margins by page count, bleed, the layout loop, the cover's size and spine. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseTrim } from '../src/config/schema.ts'
import { resolveConfig } from '../src/config/load.ts'
import { coverSize, gutterFor, stores, storeTrim, type PrintPreset } from '../src/config/stores.ts'
import { pageGeometry, type PageGeometry } from '../src/render/pdf/page-styles.ts'
import { estimatePages, layOutForStore } from '../src/render/pdf/store-files.ts'
import { coverDocument, coverLayout } from '../src/render/pdf/cover.ts'

const kdp: PrintPreset = { store: 'kdp', paper: 'cream', bleed: false }
const six = parseTrim('6x9in')!

test("KDP's gutter table: the inside margin is the outside one plus 0.375 in up to 150 pages … 0.875 in beyond 700", () => {
  assert.deepEqual([24, 150, 151, 300, 301, 500, 501, 700, 701, 828].map(gutterFor), [0.375, 0.375, 0.5, 0.5, 0.625, 0.625, 0.75, 0.75, 0.875, 0.875])
  for (const [pages, gutter] of [[100, 0.375], [200, 0.5], [400, 0.625], [600, 0.75], [800, 0.875]] as const) {
    const geometry = pageGeometry(six, {}, { preset: kdp, pages })
    // Whole pixels, rounded up: never under the band.
    assert.ok(geometry.inner - geometry.outer >= gutter * 96 - 0.5 && geometry.inner - geometry.outer <= gutter * 96 + 1.5, `${pages} pages: inner ${geometry.inner} px, outer ${geometry.outer} px`)
    assert.equal(geometry.width, 576)
    assert.equal(geometry.contentWidth, 576 - geometry.inner - geometry.outer)
  }
  // IngramSpark's half inch on every side, the running head and folio inside it too.
  const ingram = pageGeometry(parseTrim('5x8in')!, {}, { preset: { store: 'ingramspark', paper: 'white', bleed: false }, pages: 200 })
  assert.ok(ingram.outer >= 48 && ingram.top >= 48 + 36 && ingram.bottom >= 48 + 38, JSON.stringify(ingram))
})

test('bleed: the page 0.125 in wider and 0.25 in taller, the content box the same, the bleed in the outside, top and foot margins', () => {
  const plain = pageGeometry(six, {}, { preset: kdp, pages: 100 })
  const bled = pageGeometry(six, {}, { preset: { ...kdp, bleed: true }, pages: 100 })
  assert.equal(bled.size, '6.125in 9.25in')
  assert.deepEqual(bled.points, { width: 441, height: 666 })
  assert.deepEqual([bled.width - plain.width, bled.height - plain.height, bled.bleed], [12, 24, 12])
  assert.deepEqual([bled.contentWidth, bled.contentHeight, bled.inner], [plain.contentWidth, plain.contentHeight, plain.inner])
  assert.deepEqual([bled.outer - plain.outer, bled.top - plain.top, bled.bottom - plain.bottom], [12, 12, 12])
})

test('a layout that lands in another band is laid out again with that band’s margin, until it stays', async () => {
  const band = (pages: number) => pageGeometry(six, {}, { preset: kdp, pages })
  // A book of 152 pages with the first band's inside margin, and 155 with the second's (wider, so longer).
  const laidOut: number[] = []
  const print = async (geometry: PageGeometry) => {
    laidOut.push(geometry.inner)
    return { files: [], pages: geometry.inner === band(24).inner ? 152 : 155 }
  }
  const again: number[] = []
  const { interior, geometry } = await layOutForStore(24, band, print, (pages) => again.push(pages))
  assert.deepEqual(again, [152])
  assert.deepEqual(laidOut, [band(24).inner, band(152).inner])
  assert.equal(interior.pages, 155)
  assert.equal(geometry.inner, band(155).inner)
  // From the last build's 155: near enough the first band to try it once (152 pages there: it does not hold), and keep 155.
  laidOut.length = 0
  const again155: boolean[] = []
  const kept = await layOutForStore(155, band, print, (_, narrower) => again155.push(narrower))
  assert.deepEqual([laidOut, again155, kept.interior.pages], [[band(155).inner, band(24).inner], [true], 155])
  // A book of 150 pages at the narrower gutter and 153 at the wider holds in both bands: the narrower wins, from any start.
  const both = async (geometry: PageGeometry) => ({ files: [], pages: geometry.inner === band(24).inner ? 150 : 153 })
  for (const start of [24, 160, 290]) {
    const settled = await layOutForStore(start, band, both, () => {})
    assert.deepEqual([settled.interior.pages, settled.geometry.inner], [150, band(24).inner], `from ${start}`)
  }
  // A long book is not laid out again for a band it cannot fit: 400 pages in the third band, no layout in the second.
  const long: number[] = []
  await layOutForStore(400, band, async (geometry) => (long.push(geometry.inner), { files: [], pages: 400 }), () => {})
  assert.equal(long.length, 1)
})

test('the cover: 2 × trim + spine + bleed, the spine from pages and paper, its text only where the store allows it', () => {
  const trim = storeTrim(stores.kdp, six)!
  assert.deepEqual(coverSize(stores.kdp, kdp, trim, 300), { width: 12 + 0.75 + 0.25, height: 9.25, spine: 0.75 })
  assert.ok(Math.abs(coverSize(stores.kdp, { ...kdp, paper: 'white' }, trim, 300).spine - 0.6756) < 1e-9)
  // A5 is IngramSpark's 5.83 × 8.27 in; KDP does not print it.
  assert.ok(storeTrim(stores.ingramspark, parseTrim('A5')!))
  assert.equal(storeTrim(stores.kdp, parseTrim('A5')!), undefined)
  const config = resolveConfig('/book', { title: 'Harbour Letters', author: 'Ada Fenwick', publisher: 'Quire Press', 'back-cover': 'First paragraph.\n\nSecond paragraph.', 'author-bio': 'Ada writes.' })
  const thin = coverLayout(config, kdp, 79)
  const thick = coverLayout(config, kdp, 80)
  assert.deepEqual([thin.spineText, thick.spineText], [false, true], 'KDP: spine text from 80 pages')
  const spine = (html: string) => /<div class="panel spine">(.*?)<\/div>/.exec(html)![1]!
  assert.equal(spine(coverDocument(config, thin)), '')
  assert.match(spine(coverDocument(config, thick)), /Harbour Letters<\/span><span class="authors">Ada Fenwick<\/span><span class="publisher">Quire Press/)
  const html = coverDocument(config, thick)
  assert.match(html, /<p>First paragraph\.<\/p><p>Second paragraph\.<\/p><p class="bio">Ada writes\.<\/p>/)
  // The barcode's box: 2 × 1.2 in, its right edge 0.25 in from the spine fold (0.125 + 6 in), its foot 0.25 in above the trim's (0.125 + 9 in).
  const box = /\.barcode \{ position: absolute; left: ([\d.]+)in; top: ([\d.]+)in; width: ([\d.]+)in; height: ([\d.]+)in;/.exec(html)!.slice(1).map(Number)
  const [left, top, width, height] = box as [number, number, number, number]
  assert.deepEqual([width, height], [2, 1.2])
  assert.ok(Math.abs(0.125 + 6 - (left + width) - 0.25) < 1e-9 && Math.abs(0.125 + 9 - (top + height) - 0.25) < 1e-9, box.join(' '))
})

test('the first guess at a page count grows with the text and shrinks with a wider measure', () => {
  const book = (characters: number, chapters: number) => ({ chapters: Array.from({ length: chapters }, () => ({ hast: { type: 'root' as const, children: [{ type: 'text' as const, value: 'x'.repeat(characters / chapters) }] } })) }) as unknown as Parameters<typeof estimatePages>[0]
  const narrow = pageGeometry(six, {}, { preset: kdp, pages: 600 })
  const wide = pageGeometry(six, {}, { preset: kdp, pages: 24 })
  // 12 chapters of 30,000 characters: about 2,300 characters a 6 × 9 in page.
  const guess = estimatePages(book(360_000, 12), wide)
  assert.ok(guess > 150 && guess < 200, `${guess} pages`)
  assert.ok(estimatePages(book(720_000, 12), wide) > guess + 140)
  assert.ok(estimatePages(book(360_000, 12), narrow) > guess)
})
