/** The PDF renderer's pure parts: the page plan and its correction, page geometry, fonts' cmaps, hyphenation, the Info update. */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { promisify } from 'node:util'
import { h } from 'hastscript'
import { PDFDocument } from 'pdf-lib'
import { parseTrim } from '../src/config/schema.ts'
import { isDrawable, missingRuns } from '../src/fonts/coverage.ts'
import { hyphenatorFor } from '../src/render/pdf/hyphenate.ts'
import { cssString, pageGeometry } from '../src/render/pdf/page-styles.ts'
import { bodyFolio, correctMeasurements, partStarts, planPages, type MeasuredPart } from '../src/render/pdf/paginate.ts'
import { roman } from '../src/text/numerals.ts'
import { pageRange, printedLocators } from '../src/render/book-index.ts'
import { folioStyle, jobCount, splitParts } from '../src/render/pdf/jobs.ts'
import { pdfDate, readDestinations, writeInfo } from '../src/render/pdf/pdf-file.ts'
import type { PrintPart } from '../src/render/pdf/print-document.ts'

const parts: PrintPart[] = [
  { id: 'half-title', page: 'front', front: true, recto: true },
  { id: 'verso', page: 'front', front: true, recto: false },
  { id: 'title', page: 'front', front: true, recto: true },
  { id: 'copyright', page: 'front', front: true, recto: false },
  { id: 'contents', page: 'toc', front: true, recto: true },
  { id: 'part-ch-1', page: 'ch-1', front: false, recto: true, runningHead: 'One' },
  { id: 'part-ch-2', page: 'ch-2', front: false, recto: true, runningHead: 'Two' },
  { id: 'part-ch-3', page: 'ch-3', front: false, recto: true, runningHead: 'Three' },
]
const measured: MeasuredPart[] = [
  { id: 'half-title', pages: 1, offsets: {} },
  { id: 'verso', pages: 1, offsets: {} },
  { id: 'title', pages: 1, offsets: {} },
  { id: 'copyright', pages: 1, offsets: {} },
  { id: 'contents', pages: 1, offsets: {} },
  { id: 'part-ch-1', pages: 3, offsets: { 'ch-1': 0, 'sec-1-1': 1 } },
  { id: 'part-ch-2', pages: 4, offsets: { 'ch-2': 0, 'sec-2-1': 2 } },
  { id: 'part-ch-3', pages: 2, offsets: { 'ch-3': 0 } },
]

test('the plan puts a blank before every part that would open on a left page, and numbers the body from 1', () => {
  const plan = planPages(parts, measured)
  // Contents on v (5); a front blank on vi; chapter 1 on 7 = folio 1, 3 pages; blank; chapter 2 on 11 = folio 5.
  assert.deepEqual(plan.blanks, [{ before: 'part-ch-1', front: true }, { before: 'part-ch-2', front: false }])
  assert.deepEqual([...plan.physical], [['ch-1', 7], ['sec-1-1', 8], ['ch-2', 11], ['sec-2-1', 13], ['ch-3', 15]])
  assert.deepEqual([...plan.folios], [['ch-1', '1'], ['sec-1-1', '2'], ['ch-2', '5'], ['sec-2-1', '7'], ['ch-3', '9']])
  assert.equal(plan.pages, 16)
})

test('when the printed pages disagree, the measurements are corrected from them and the new plan is exact', () => {
  const plan = planPages(parts, measured)
  // Suppose chapter 1 really took 4 pages and its section landed on its third: Chromium put ch-2 on 11 without a blank.
  const printed = new Map([['ch-1', 7], ['sec-1-1', 9], ['ch-2', 12], ['sec-2-1', 14], ['ch-3', 16]])
  const corrected = correctMeasurements(parts, measured, plan, printed)
  assert.equal(corrected.find((part) => part.id === 'part-ch-1')!.pages, 4)
  assert.equal(corrected.find((part) => part.id === 'part-ch-1')!.offsets['sec-1-1'], 2)
  const again = planPages(parts, corrected)
  assert.deepEqual(again.blanks, [{ before: 'part-ch-1', front: true }])
  assert.deepEqual([...again.physical], [['ch-1', 7], ['sec-1-1', 9], ['ch-2', 11], ['sec-2-1', 13], ['ch-3', 15]])
  assert.deepEqual(measured.find((part) => part.id === 'part-ch-1')!.pages, 3, 'the input is not changed')
})

test('front matter that runs on (a preface after the contents) is corrected from the print like a chapter, and folio 1 stays on the first chapter', () => {
  const withPreface: PrintPart[] = [...parts.slice(0, 5), { id: 'part-ch-preface', page: 'ch-0', front: true, recto: true, runningHead: 'Preface' }, ...parts.slice(5)]
  const lengths: MeasuredPart[] = [...measured.slice(0, 5), { id: 'part-ch-preface', pages: 2, offsets: { 'ch-preface': 0 } }, ...measured.slice(5)]
  const plan = planPages(withPreface, lengths)
  // Contents on v; the preface on vii–viii; chapter 1 on 9 = folio 1.
  assert.equal(plan.physical.get('ch-preface'), 7)
  assert.equal(plan.folios.get('ch-preface'), 'vii')
  assert.equal(plan.folios.get('ch-1'), '1')
  // Printed, the preface took three pages: everything after it moved one page on (the blanks are the plan's own, so none came before chapter 1).
  const printed = new Map([['ch-preface', 7], ['ch-1', 10], ['sec-1-1', 11], ['ch-2', 14], ['sec-2-1', 16], ['ch-3', 18]])
  const corrected = correctMeasurements(withPreface, lengths, plan, printed)
  assert.equal(corrected.find((part) => part.id === 'part-ch-preface')!.pages, 3)
  assert.equal(corrected.find((part) => part.id === 'contents')!.pages, 1)
  const again = planPages(withPreface, corrected)
  assert.deepEqual([...again.physical].slice(0, 2), [['ch-preface', 7], ['ch-1', 11]])
  assert.equal(again.folios.get('ch-1'), '1')
  assert.equal(again.folios.get('ch-preface'), 'vii')
})

test('print jobs: the front matter goes with the first, every job opens with a body part on the page and folio the plan gives it', () => {
  const elements = new Map(parts.map((part) => [part.id, h('div', { id: part.id }, part.front ? 'x' : 'y'.repeat(1000))]))
  const jobs = splitParts(parts, elements, 2)
  assert.deepEqual(jobs.map((job) => job.map((part) => part.id)), [['half-title', 'verso', 'title', 'copyright', 'contents', 'part-ch-1', 'part-ch-2'], ['part-ch-3']])
  // Never more jobs than body parts, and a count that is not a whole number is refused.
  assert.equal(splitParts(parts, elements, 3).length, 3)
  assert.equal(jobCount(parts, elements, { QUIRE_PDF_JOBS: '9' }), 3)
  assert.equal(jobCount(parts, elements, {}), 1, 'a short book is one job')
  assert.throws(() => jobCount(parts, elements, { QUIRE_PDF_JOBS: 'two' }), /QUIRE_PDF_JOBS/)
  // With parts, a job opens only at a part's title page (or a chapter outside the parts): its outline holds whole parts.
  const inParts: typeof parts = [...parts.slice(0, 5), { id: 'part-1', page: 'part', front: false, recto: true }, ...parts.slice(5).map((part) => ({ ...part, withinPart: true }))]
  elements.set('part-1', h('section', { id: 'part-1' }, 'Part One'))
  assert.deepEqual(splitParts(inParts, elements, 3).map((job) => job.map((part) => part.id)), [inParts.map((part) => part.id)])
  assert.equal(jobCount(inParts, elements, { QUIRE_PDF_JOBS: '3' }), 1)
  const plan = planPages(parts, measured)
  const starts = partStarts(parts, measured, plan)
  // Chapter 3 on page 15 (see the plan above) is folio 9, and its own page counter starts at 1 there.
  assert.equal(starts.get('part-ch-3'), 15)
  assert.equal(bodyFolio(parts, starts, 15), 9)
  assert.equal(folioStyle(parts.at(-1)!, 9), '@page ch-3:first { counter-increment: page 9 quire-ch-3 1; }')
})

test('page geometry follows the trim: mirrored margins, the wider at the spine', () => {
  const six = pageGeometry(parseTrim('6x9in')!)
  assert.deepEqual(six, { size: '6in 9in', width: 576, height: 864, top: 72, bottom: 82, inner: 82, outer: 58, bleed: 0, points: { width: 432, height: 648 }, contentWidth: 436, contentHeight: 710, textSize: 10.5, leading: 1.4 })
  // book.yaml's print: font-size and leading.
  assert.deepEqual([pageGeometry(parseTrim('6x9in')!, { fontSize: 12, leading: 1.5 })].map((g) => [g.textSize, g.leading]), [[12, 1.5]])
  const a5 = pageGeometry(parseTrim('A5')!)
  assert.equal(a5.size, '148mm 210mm')
  assert.deepEqual([a5.width, a5.height], [560, 794])
  assert.ok(a5.inner > a5.outer)
  assert.equal(pageGeometry(parseTrim('letter')!).textSize, 11.5)
  assert.equal(cssString('Say "hi" \\ </style> Ü'), '"Say \\22 hi\\22  \\5c  \\3c /style\\3e  \\dc "')
  assert.equal(roman(4), 'iv')
  assert.equal(roman(1994), 'mcmxciv')
})

test('coverage comes from the shipped fonts’ cmaps: Korean and Cyrillic drawn, Chinese and arrows not', () => {
  assert.ok(isDrawable('Ж') && isDrawable('한') && isDrawable('é') && isDrawable('\u00AD'))
  assert.ok(!isDrawable('中') && !isDrawable('→'))
  assert.ok(isDrawable('→', true) === false && isDrawable('λ', true))
  assert.deepEqual(missingRuns('a 中文 b ⁂'), [{ start: 2, end: 4, text: '中文' }, { start: 7, end: 8, text: '⁂' }])
})

test('hyphenation patterns follow the language, regional variants included', () => {
  const show = (language: string, word: string) => hyphenatorFor(language)!(word, { html: false }).replace(/\u00AD/g, '-')
  assert.equal(show('en', 'reconstruction'), 're-con-struc-tion')
  assert.equal(show('de-AT', 'Donaudampfschifffahrt'), 'Do-nau-dampf-schiff-fahrt')
  assert.equal(hyphenatorFor('ko'), undefined)
})

test('the Info update keeps the printed bytes, fixes the dates, and leaves a file qpdf and pdf-lib accept', async () => {
  const doc = await PDFDocument.create()
  doc.addPage([200, 200])
  doc.setCreationDate(new Date('2030-01-02T03:04:05Z'))
  doc.setModificationDate(new Date('2030-01-02T03:04:05Z'))
  const original = await doc.save({ useObjectStreams: false })
  const date = new Date('2026-11-01T00:00:00Z')
  const updated = writeInfo(original, { title: 'Árbol y “río”', author: 'Ada (ed.)', creator: 'Quire test', date })
  assert.equal(pdfDate(date), "D:20261101000000+00'00'")
  const text = Buffer.from(updated).toString('latin1')
  assert.ok(!text.includes('D:2030'), 'the old dates are overwritten in place')
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-pdf-unit-'))
  const file = path.join(dir, 'x.pdf')
  await writeFile(file, updated)
  const { stdout } = await promisify(execFile)('qpdf', ['--check', file])
  assert.match(stdout, /No syntax or stream encoding errors/)
  const info = (await promisify(execFile)('pdfinfo', [file])).stdout
  assert.match(info, /Title:\s+Árbol y “río”/)
  assert.match(info, /Author:\s+Ada \(ed\.\)/)
  assert.equal((await readDestinations(updated)).size, 0)
})

test('index page numbers: Chicago’s inclusive numbers, and a page named twice once, touching pages merged', () => {
  // The Chicago Manual's own examples (9.64).
  const examples: [number, number, string][] = [
    [3, 10, '3–10'], [71, 72, '71–72'], [96, 117, '96–117'], [100, 104, '100–104'], [1100, 1113, '1100–1113'],
    [101, 108, '101–8'], [808, 833, '808–33'], [1103, 1104, '1103–4'], [321, 328, '321–28'], [498, 532, '498–532'],
    [1087, 1089, '1087–89'], [1496, 1500, '1496–500'], [11564, 11615, '11564–615'], [12991, 13001, '12991–3001'],
  ]
  for (const [first, last, printed] of examples) assert.equal(pageRange(first, last), printed, `${first}–${last}`)
  assert.equal(pageRange(12, 12), '12')
  const folios = new Map([['a', '12'], ['b', '12'], ['c', '13'], ['d', '20'], ['e', '25'], ['f', '27'], ['g', 'xi']])
  // a and b on one page, c the next: 12–13; a range 25–27 from e to f; a front-matter page first.
  assert.deepEqual(printedLocators([{ start: 'a' }, { start: 'b' }, { start: 'c' }, { start: 'd' }, { start: 'e', end: 'f' }, { start: 'g' }], folios), [
    { text: 'xi', href: '#g' },
    { text: '12–13', href: '#a' },
    { text: '20', href: '#d' },
    { text: '25–27', href: '#e' },
  ])
})
