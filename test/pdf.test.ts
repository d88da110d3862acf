/**
 * End-to-end: print PDFs with the CLI and read them back with poppler and
 * qpdf: page size, fonts, outline, the contents' page numbers against the
 * pages the headings are on, running heads, folios, metadata, and the
 * page's refusal to fetch anything outside the book.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { before, test } from 'node:test'
import { analyze } from '../src/build.ts'
import { createBrowserSession } from '../src/browser/session.ts'
import { pdfRenderer } from '../src/render/pdf/index.ts'
import type { Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFNumber } from 'pdf-lib'
import { cli, manuscript, ROOT } from './helpers.ts'
import { openEpub, select, toString } from './epub-helpers.ts'
import { contentsEntries, flat, folio, letters, lines, openPdf, pdfDifference, type OpenedPdf, type OutlineItem } from './pdf-helpers.ts'

const words = 'the archive held letters from the ministry about the reconstruction of the harbour and the long negotiation over its cranes which nobody had expected to last a winter'.split(' ')
/** A deterministic paragraph of about `count` words. */
function paragraph(seed: number, count = 90): string {
  return Array.from({ length: count }, (_, index) => words[(seed * 7 + index * 3) % words.length]).join(' ').replace(/^./, (char) => char.toUpperCase()) + '.'
}

/** A manuscript whose first chapter is one page long, so the second must be pushed to a right-hand page by a blank. */
const PAGED = {
  'book.yaml': 'title: Harbour Letters\nauthor: Ines Varga\nlanguage: en-GB\ndate: 2025-05-01\ntrim: A5\npdf:\n  variant: both\n',
  '01-arrival.md': '# Arrival\n\nA short opening, one page and no more.\n',
  '02-cranes.md': ['# The Cranes', '', ...[1, 2, 3].flatMap((section) => [`2.${section} Section ${section} of the Cranes`, '', ...Array.from({ length: 4 }, (_, index) => paragraph(section * 10 + index) + '\n')]), 'Korean names appear too: 부산 and 인천.[^1]', '', '[^1]: A note at the chapter end.', ''].join('\n'),
  '03-winter.md': ['# A Winter That Nobody Had Expected to Last', '', '3.1 The Ice', '', paragraph(99), '', 'A character no shipped face draws: 港.', ''].join('\n'),
  // A title that must survive CSS and HTML (quotes, a backslash, `</style>`, a character no face has), and headings whose ids are not ASCII.
  '04-letters.md': ['# Letters from 香港: "Quoted" \\ </style> Überall', '', '## Überblick über 1961', '', ...Array.from({ length: 12 }, (_, index) => paragraph(40 + index) + '\n'), '## Ещё одно письмо', '', paragraph(77), ''].join('\n'),
}

let sample: OpenedPdf
let torture: OpenedPdf
let coldWar: OpenedPdf
let paged: OpenedPdf
let pagedPrint: OpenedPdf
let sampleFile: string
let pagedBuild: Awaited<ReturnType<typeof cli>>
/** The paged book printed as four print jobs and joined (jobs.ts, join.ts), one a chapter. */
let pagedJobs: OpenedPdf
let pagedJobsPrint: OpenedPdf
let pagedDir: string
let pagedJobsOut: string
let tortureOut: string

async function buildPdf(dir: string, out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const result = await cli(['build', dir, '--out', out, '--format', 'pdf', '--verbose', ...extra], { env })
  assert.equal(result.code, 0, result.stderr)
  // The plan made before printing held: one print, no correction.
  assert.doesNotMatch(result.stderr, /printing again/, `${dir}: the page plan matched the print`)
  return result
}

before(async () => {
  const [a, b, c, d, f] = (await Promise.all([1, 2, 3, 4, 5].map(() => mkdtemp(path.join(os.tmpdir(), 'quire-pdf-'))))) as [string, string, string, string, string]
  const dir = await manuscript(PAGED)
  const [sampleBuild, built] = await Promise.all([buildPdf('chapters', a, [], { QUIRE_PDF_JOBS: '1' }), buildPdf(dir, b, [], { QUIRE_PDF_JOBS: '1' })])
  await Promise.all([buildPdf(path.join(ROOT, 'test/books/torture'), c), buildPdf(path.join(ROOT, 'test/books/cold-war'), d)])
  await buildPdf(dir, f, [], { QUIRE_PDF_JOBS: '4' })
  pagedDir = dir
  pagedJobsOut = f
  tortureOut = c
  ;[pagedJobs, pagedJobsPrint] = await Promise.all([openPdf(path.join(f, 'harbour-letters.pdf')), openPdf(path.join(f, 'harbour-letters-print.pdf'))])
  ;[torture, coldWar] = await Promise.all([openPdf(path.join(c, 'torture.pdf')), openPdf(path.join(d, 'a-short-history-of-containment.pdf'))])
  pagedBuild = built
  sampleFile = path.join(a, 'writing-with-quire.pdf')
  assert.match(sampleBuild.stderr, /browser: \S+ \(/, 'the browser used is named with --verbose')
  ;[sample, paged, pagedPrint] = await Promise.all([openPdf(sampleFile), openPdf(path.join(b, 'harbour-letters.pdf')), openPdf(path.join(b, 'harbour-letters-print.pdf'))])
})

test('the copyright page reads the same in the PDF, the EPUB and the web edition', async () => {
  // The torture book: subtitle, a translator and an editor, rights, a month-only date, a hyphenated ISBN.
  const built = await cli(['build', path.join(ROOT, 'test/books/torture'), '--out', tortureOut, '--format', 'html,epub'])
  assert.equal(built.code, 0, built.stderr)
  const epub = await openEpub(path.join(tortureOut, 'torture.epub'))
  const paragraphs = (tree: Root) => select(select(tree, (node) => (node.properties.className as string[] | undefined)?.includes('copyright-page') === true)[0]!, (node) => node.tagName === 'p').map((node) => toString(node))
  const web = paragraphs(fromHtml(await readFile(path.join(tortureOut, 'html', 'index.html'), 'utf8')))
  assert.deepEqual(paragraphs(await epub.tree('OEBPS/copyright.xhtml')), web)
  assert.deepEqual(web, [
    'The "Torture" Test: Ünïcödé & <Markup>: Everything at Once',
    'Ada Fenwick',
    'Jürgen Übersetzer (translator)',
    'Olga Редактор (editor)',
    '© 2025 The Authors. All rights reserved.',
    'Quire Test Press, March 2025',
    'ISBN 978-0-306-40615-7',
    'Set in Literata. Made with Quire.',
  ])
  const page = torture.pages.find((text) => text.includes('Made with Quire'))!
  assert.equal(flat(page), flat(web.join(' ')))
})

test("book.yaml's print: font-size and leading set the body text: 12 pt on 18 pt lines", async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Leading\ntrim: 6x9in\nprint:\n  font-size: 12\n  leading: 1.5\n',
    '01-one.md': `# One\n\n${paragraph(1, 900)}\n`,
  })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-pdf-'))
  await buildPdf(dir, out)
  const file = path.join(out, 'leading.pdf')
  const { execFile } = await import('node:child_process')
  // The chapter opens on page 7 (after a blank); its second page is all body text: one line's top to the next is 12 × 1.5 pt.
  const bbox = await new Promise<string>((resolve, reject) => execFile('pdftotext', ['-bbox', '-f', '8', '-l', '8', file, '-'], (error, stdout) => (error ? reject(error) : resolve(stdout))))
  const words = [...bbox.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">/g)].map((match) => ({ top: Number(match[1]), height: Number(match[2]) - Number(match[1]) }))
  const tops = [...new Set(words.map((word) => Math.round(word.top * 10) / 10))].sort((a, b) => a - b)
  assert.ok(tops.length > 20, `${tops.length} lines on the page`)
  const pitches = tops.slice(1).map((top, index) => top - tops[index]!).filter((pitch) => pitch < 30)
  const median = pitches.sort((a, b) => a - b)[Math.floor(pitches.length / 2)]!
  assert.ok(Math.abs(median - 18) < 0.3, `line pitch ${median} pt`)
  // pdftotext boxes a word by the face's ascent and descent, 1.485 em for Literata: 17.8 pt at 12 pt (15.6 at the 6 × 9 in default of 10.5).
  const heights = words.map((word) => word.height).sort((a, b) => a - b)
  const height = heights[Math.floor(heights.length / 2)]!
  assert.ok(Math.abs(height / 12 - 1.485) < 0.03, `word height ${height} pt`)
})

/** The first page of the body: the page whose folio is 1. */
function bodyStart(pdf: OpenedPdf): number {
  const index = pdf.pages.findIndex((page) => folio(page) === '1')
  assert.ok(index >= 0, 'a page with folio 1')
  return index + 1
}

function chapterBookmarks(pdf: OpenedPdf): OutlineItem[] {
  return pdf.outline.filter((item) => !/^contents$/i.test(item.title) && !/^bibliography$/i.test(item.title))
}

test('the page box is the trim size: 6 × 9 in for the sample, A5 for the other', () => {
  assert.deepEqual(sample.size, { width: 432, height: 648 })
  // A5 is 419.53 × 595.28 pt; Chromium prints 420 × 594.96, and Quire sets the page box back to the trim.
  assert.deepEqual(paged.size, { width: 419.53, height: 595.28 })
  assert.deepEqual(pagedPrint.size, { width: 419.53, height: 595.28 })
})

test('every font is embedded, none is Type 3, and none comes from the machine', () => {
  for (const pdf of [sample, torture, coldWar, paged, pagedPrint, pagedJobs, pagedJobsPrint]) {
    assert.ok(pdf.fonts.length > 0)
    for (const font of pdf.fonts) {
      assert.ok(font.embedded, `${font.name} is embedded`)
      assert.notEqual(font.type, 'Type 3', font.name)
      assert.match(font.name, /\+(Literata|GowunBatang|NotoSansMono)-/, `${font.name} is a shipped face`)
    }
  }
  assert.ok(paged.fonts.some((font) => font.name.includes('GowunBatang')), 'Korean is set in Gowun Batang')
})

test('the bookmarks list the contents, every chapter with its numbered sections, and the bibliography', () => {
  const chapters = chapterBookmarks(sample)
  assert.deepEqual(chapters.map((item) => item.title), ['The Manuscript', 'Paragraphs, Sections and Scenes', 'Citations and Notes', 'Typography, EPUB and Print'])
  for (const chapter of chapters) {
    const sections = chapter.kids.map((kid) => kid.title).filter((title) => /^\d+\.\d+ /.test(title))
    assert.ok(sections.length >= 4, `${chapter.title}: ${sections.join(', ')}`)
  }
  assert.deepEqual(chapterBookmarks(paged)[1]!.kids.map((kid) => kid.title).filter((title) => /^\d/.test(title)), ['2.1 Section 1 of the Cranes', '2.2 Section 2 of the Cranes', '2.3 Section 3 of the Cranes'])
  assert.ok(sample.outline.some((item) => /^bibliography$/i.test(item.title)))
})

test("every page number in the contents is the folio of the page where that heading is printed", () => {
  for (const pdf of [sample, torture, coldWar, paged, pagedPrint, pagedJobs, pagedJobsPrint]) {
    const start = bodyStart(pdf)
    const entries = contentsEntries(pdf.pages.slice(0, start - 1))
    assert.ok(entries.length >= (pdf === sample ? 21 : 3), `${pdf.file}: ${entries.length} contents entries`)
    for (const entry of entries) {
      const index = start - 1 + Number(entry.page) - 1
      const page = pdf.pages[index]
      assert.ok(page, `${entry.label}: page ${entry.page} exists`)
      assert.equal(folio(page), entry.page, `page ${index + 1} carries folio ${entry.page}`)
      assert.ok(flat(page).includes(entry.label.replace(/^\d+(\.\d+)* /, '')), `"${entry.label}" is on the page numbered ${entry.page}:\n${page}`)
    }
  }
})

test('chapters open on right-hand (odd) pages, a blank left page inserted where needed, with no running head', () => {
  for (const pdf of [sample, torture, coldWar, paged, pagedJobs]) {
    for (const chapter of chapterBookmarks(pdf)) {
      assert.equal(chapter.page % 2, 1, `${chapter.title} opens on page ${chapter.page}`)
      const first = lines(pdf.pages[chapter.page - 1]!)
      assert.ok(!letters(first[0]!).includes(letters(chapter.title)) || /^chapter/i.test(first[0]!), `no running head on the opening of ${chapter.title}: ${first[0]}`)
      assert.match(first[0]!, /^(CHAPTER|Chapter) \d+$/, `the opening starts with the chapter label: ${first[0]}`)
    }
  }
  // Chapter 1 is one page (1), so page 2 is a blank verso and chapter 2 opens on 3.
  const start = bodyStart(paged)
  assert.equal(lines(paged.pages[start]!).length, 0, 'the verso after a one-page chapter is blank: no running head, no folio')
  assert.equal(folio(paged.pages[start + 1]!), '3')
})

test('a chapter title with quotes, a backslash, </style> and a character no face draws still makes its running head', () => {
  const chapter = chapterBookmarks(paged).find((item) => item.title.startsWith('Letters from'))!
  assert.ok(chapter, paged.outline.map((item) => item.title).join(' | '))
  const right = lines(paged.pages[chapter.page + 1]!)
  assert.equal(letters(right[0]!), letters('Letters from: "Quoted" \\ </style> Überall'))
  assert.ok(!paged.pages.join('\n').includes('@page'), 'no stylesheet text leaked onto a page')
  // Headings with non-ASCII ids are contents targets like any other.
  const entries = contentsEntries(paged.pages.slice(0, bodyStart(paged) - 1)).map((entry) => entry.label)
  assert.ok(entries.includes('Überblick über 1961') && entries.includes('Ещё одно письмо'), entries.join(' | '))
})

test('running heads: the book title on left pages, the chapter title on right pages; folios count the body from 1', () => {
  const [chapter] = chapterBookmarks(sample)
  const left = lines(sample.pages[chapter!.page]!) // the page after the opening
  const right = lines(sample.pages[chapter!.page + 1]!)
  assert.equal(letters(left[0]!), letters('Writing a Book with Quire'))
  assert.equal(letters(right[0]!), letters('The Manuscript'))
  assert.equal(folio(sample.pages[chapter!.page - 1]!), '1')
  assert.equal(folio(sample.pages[chapter!.page]!), '2')
  // Front matter: roman folio on the contents, none on the title pages.
  const contents = sample.outline.find((item) => /^contents$/i.test(item.title))!
  assert.match(folio(sample.pages[contents.page - 1]!) ?? '', /^[ivx]+$/)
  assert.equal(folio(sample.pages[0]!), undefined)
})

test('notes close each chapter, the bibliography closes the book, and no citation marker is left', async () => {
  const text = sample.pages.join('\n')
  // The sample book shows the marker syntax in code spans; those are the only ones allowed.
  const sources = await Promise.all(['01-the-manuscript.md', '02-paragraphs-and-sections.md', '03-citations-and-notes.md', '04-typography-and-print.md'].map((name) => readFile(path.join(ROOT, 'chapters', name), 'utf8')))
  const inCode = sources.join('\n').match(/`[^`\n]*\[citation[^`\n]*`/g)?.length ?? 0
  assert.equal(text.split('[citation').length - 1, inCode, 'every [citation in the PDF is one of the code examples')
  assert.ok(!text.includes('[?]'))
  assert.ok(sample.pages.filter((page) => /^\s*NOTES\s*$/m.test(page)).length >= 4, 'a notes heading in each chapter')
  const bibliography = sample.outline.find((item) => /^bibliography$/i.test(item.title))!
  assert.match(flat(sample.pages[bibliography.page - 1]!), /Bringhurst, Robert\. The Elements of Typographic Style/)
  assert.ok(bibliography.page > chapterBookmarks(sample).at(-1)!.page)
})

test('links are live in the screen PDF (contents, notes) and absent from the print-on-demand one', async () => {
  assert.ok(sample.dests.has('ch-1') && sample.dests.has('sec-1-1'), 'contents targets are destinations')
  assert.ok([...sample.dests.keys()].some((name) => /^ch-\d+-note-\d+$/.test(name)), 'note calls link to the notes')
  const screenBytes = (await readFile(paged.file)).toString('latin1')
  const printBytes = (await readFile(pagedPrint.file)).toString('latin1')
  assert.match(screenBytes, /\/Subtype \/Link/)
  assert.match(screenBytes, /\/StructTreeRoot/)
  assert.doesNotMatch(printBytes, /\/Subtype \/Link|\/Outlines|\/Annots/)
  assert.equal(pagedPrint.outline.length, 0)
  assert.equal(pagedPrint.pages.length, paged.pages.length, 'both variants have the same pages')
  assert.equal(pagedPrint.info.Tagged, 'no')
})

test('metadata: title, author, subject, language, creator, tagged, and dates from book.yaml', async () => {
  assert.equal(sample.info.Title, 'Writing a Book with Quire: A Guide for Authors of Long Nonfiction')
  assert.equal(sample.info.Author, 'Ada Fenwick and Tomás Reyes')
  assert.match(sample.info.Subject!, /^A practical guide to writing a long work/)
  assert.equal(sample.info.Creator, 'Quire 0.1.0')
  assert.equal(sample.info.Tagged, 'yes')
  assert.match(sample.info.CreationDate!, /Nov\s+1 00:00:00 2026 UTC/)
  assert.match(sample.info.ModDate!, /Nov\s+1 00:00:00 2026 UTC/)
  assert.match((await readFile(paged.file)).toString('latin1'), /\/Lang \(en-GB\)/)
})

test('qpdf finds the file sound', async () => {
  const { execFile } = await import('node:child_process')
  const checked = await new Promise<string>((resolve, reject) => execFile('qpdf', ['--check', sampleFile], (error, stdout) => (error ? reject(error) : resolve(stdout))))
  assert.match(checked, /No syntax or stream encoding errors found/)
})

test('printed as several jobs and joined: the pages, text, folios, bookmarks and destinations of one print, tagged, sound, and the same bytes twice', async () => {
  const { execFile } = await import('node:child_process')
  const run = (command: string, args: string[]) => new Promise<string>((resolve, reject) => execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout))))
  for (const [joined, whole] of [[pagedJobs, paged], [pagedJobsPrint, pagedPrint]] as const) {
    assert.equal(joined.pages.length, whole.pages.length, `${joined.file}: as many pages as one print`)
    // Glyph positions agree to a thousandth of a point (the page's offset in its document is rounded differently), so compare the words.
    joined.pages.forEach((page, index) => assert.equal(flat(page), flat(whole.pages[index]!), `${joined.file}: page ${index + 1}`))
    assert.deepEqual(joined.outline, whole.outline)
    assert.deepEqual([...joined.dests].sort(), [...whole.dests].sort())
    assert.deepEqual(joined.size, whole.size)
    assert.equal(joined.info.Tagged, whole.info.Tagged)
    assert.equal(joined.info.Title, whole.info.Title)
    assert.equal(joined.info.CreationDate, whole.info.CreationDate)
    assert.match(await run('qpdf', ['--check', joined.file]), /No syntax or stream encoding errors found/)
  }
  assert.equal(pagedJobs.info.Tagged, 'yes')
  // Links into other jobs' pages (the contents, non-ASCII ids among them) are links to named destinations, as in one print.
  const bytes = (await readFile(pagedJobs.file)).toString('latin1')
  assert.doesNotMatch(bytes, /quire-dest:/)
  assert.doesNotMatch((await readFile(pagedJobsPrint.file)).toString('latin1'), /\/Subtype \/Link|\/Outlines|\/Annots|\/StructTreeRoot/)
  // One structure tree: every page's and link's key into the parent tree is its own.
  const doc = await PDFDocument.load(await readFile(pagedJobs.file))
  // Blank pages have no marked content, and no key.
  const keys = doc.getPages().flatMap((page) => (page.node.get(PDFName.of('StructParents')) as PDFNumber | undefined)?.asNumber() ?? [])
  const printed = pagedJobs.pages.filter((page) => page.trim() !== '').length
  assert.ok(keys.length >= printed, `${keys.length} pages with marked content, ${printed} with text`)
  assert.equal(new Set(keys).size, keys.length, 'each page has its own /StructParents')
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict)
  const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray).asArray().filter((_, index) => index % 2 === 0).map((key) => (key as PDFNumber).asNumber())
  for (const key of keys) assert.ok(nums.includes(key), `the parent tree has page key ${key}`)
  assert.equal(new Set(nums).size, nums.length, 'parent tree keys are unique')
  const ids = [...bytes.matchAll(/\/ID \((node\d+)\)/g)].map((match) => match[1])
  assert.equal(new Set(ids).size, ids.length, 'element ids are unique across jobs')
  // Two fresh builds, and one from the cache the first left: the same bytes.
  const again = await mkdtemp(path.join(os.tmpdir(), 'quire-pdf-'))
  const result = await buildPdf(pagedDir, again, [], { QUIRE_PDF_JOBS: '4' })
  assert.match(result.stderr, /4 print jobs/)
  const hash = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex')
  const names = ['harbour-letters.pdf', 'harbour-letters-print.pdf']
  const first = await Promise.all(names.map((name) => readFile(path.join(pagedJobsOut, name))))
  for (const [index, name] of names.entries()) {
    const fresh = path.join(again, name)
    if ((await hash(fresh)) !== createHash('sha256').update(first[index]!).digest('hex')) {
      const earlier = path.join(await mkdtemp(path.join(os.tmpdir(), 'quire-pdf-')), name)
      await writeFile(earlier, first[index]!)
      assert.fail(`Two fresh builds differ: ${await pdfDifference(earlier, fresh)}`)
    }
  }
  const cached = await buildPdf(pagedDir, pagedJobsOut, [], { QUIRE_PDF_JOBS: '4' })
  assert.doesNotMatch(cached.stderr, /printing job/, 'nothing changed: every job comes from the cache')
  for (const name of names) {
    const [fresh, fromCache] = [path.join(again, name), path.join(pagedJobsOut, name)]
    if ((await hash(fresh)) !== (await hash(fromCache))) assert.fail(`A build from the cache differs from a fresh one: ${await pdfDifference(fresh, fromCache)}`)
  }
  // Part lengths remembered wrong (a second print, then the clean bytes) are cache.test's, with the PDF in two jobs.
})

test('a character no shipped face has is a warning in check and an empty box in the PDF, not a system font', () => {
  assert.match(pagedBuild.stderr, /03-winter\.md\s*\n\s*7:36-7:37\s+warning\s+Unexpected `港` \(U\+6E2F\)/)
  assert.ok(!paged.pages.join('').includes('港'))
})

test('the print page fetches nothing outside the book: a file: or remote image is blocked and named, and no PDF is made', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: Leaky\n', '01-a.md': '# A\n\nText.\n' })
  const outside = await manuscript({ 'secret.svg': '<svg xmlns="http://www.w3.org/2000/svg"><text>secret</text></svg>' })
  for (const src of ['file:///etc/hostname', 'https://example.com/tracker.png', pathToFileURL(path.join(outside, 'secret.svg')).href]) {
    const analyzed = await analyze({ manuscript: dir, cwd: dir })
    // Past the manuscript checks (which refuse both): as if a bug let one through.
    analyzed.book.chapters[0]!.hast.children.push({ type: 'element', tagName: 'img', properties: { src, alt: 'x' }, children: [] })
    const browser = createBrowserSession()
    try {
      await assert.rejects(pdfRenderer.render(analyzed.book, { browser, cacheDir: path.join(dir, 'build/.cache') }), (error: Error) => {
        assert.ok(error.message.includes(src), error.message)
        assert.match(error.message, /blocked and no PDF was written/)
        return true
      })
    } finally {
      await browser.close()
    }
  }
  // Through the CLI the manuscript checks stop it first, naming the file and line.
  const leaky = await manuscript({ 'book.yaml': 'title: Leaky\n', '01-a.md': '# A\n\n<img src="file:///etc/hostname" alt="x">\n\n![remote](https://example.com/x.png)\n' })
  const out = path.join(leaky, 'out')
  const result = await cli(['build', leaky, '--out', out, '--format', 'pdf'])
  assert.equal(result.code, 1)
  assert.match(result.stderr, /3:1-3:\d+\s+error\s+Unexpected image `file:\/\/\/etc\/hostname`/)
  assert.match(result.stderr, /asset-remote/)
  // A draft is written despite the errors (and still exits 1), without either image.
  const draft = await cli(['build', leaky, '--out', out, '--format', 'pdf', '--draft'])
  assert.match(draft.stderr, /pdf → \S+leaky\.pdf/)
  const hostname = (await readFile('/etc/hostname', 'utf8')).trim()
  const text = (await openPdf(path.join(out, 'leaky.pdf'))).pages.join('\n')
  if (hostname.length > 3) assert.ok(!text.includes(hostname), 'the machine name is not in the draft PDF')
})
