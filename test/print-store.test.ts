/**
 * Print-on-demand presets (`print: {preset, paper, bleed}`): the sample
 * book's interior and full-wrap cover for KDP and for IngramSpark, opened
 * with poppler and qpdf, PDF/X-1a by Ghostscript and the message without
 * it; and `check --print` on an interior made wrong on purpose.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import { PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString, StandardFonts } from 'pdf-lib'
import { cli, manuscript, ROOT } from './helpers.ts'
import { convertToPdfX, findGhostscript } from '../src/render/pdf/pdfx.ts'

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout))))
}

/** The sample book with these lines added to its book.yaml. */
async function sampleWith(yaml: string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'quire-store-')), 'chapters')
  await cp(path.join(ROOT, 'chapters'), dir, { recursive: true })
  await writeFile(path.join(dir, 'book.yaml'), (await readFile(path.join(dir, 'book.yaml'), 'utf8')) + yaml)
  return dir
}

async function pageSize(file: string, page = 1): Promise<{ width: number; height: number }> {
  const info = await run('pdfinfo', ['-f', String(page), '-l', String(page), file])
  const match = /Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/.exec(info) ?? /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)
  assert.ok(match, info)
  return { width: Number(match[1]), height: Number(match[2]) }
}

let kdpOut: string
let kdpBuild: Awaited<ReturnType<typeof cli>>
let ingramDir: string
let ingramOut: string
let ingramBuild: Awaited<ReturnType<typeof cli>>

before(async () => {
  const kdp = await sampleWith('print:\n  preset: kdp\n  paper: cream\nback-cover: |\n  A guide to writing a long book in Markdown.\n\n  It covers citations, notes and print.\nauthor-bio: Ada Fenwick and Tomás Reyes write about books.\n')
  ingramDir = await sampleWith('print:\n  preset: ingramspark\n  bleed: true\n')
  kdpOut = await mkdtemp(path.join(os.tmpdir(), 'quire-store-out-'))
  ingramOut = await mkdtemp(path.join(os.tmpdir(), 'quire-store-out-'))
  ;[kdpBuild, ingramBuild] = await Promise.all([cli(['build', kdp, '--out', kdpOut, '--format', 'pdf']), cli(['build', ingramDir, '--out', ingramOut, '--format', 'pdf', '--verbose'])])
  assert.equal(kdpBuild.code, 0, kdpBuild.stderr)
  assert.equal(ingramBuild.code, 0, ingramBuild.stderr)
})

test('KDP, 6 × 9 in, cream: a 6 × 9 in interior with no outline or annotations, fonts embedded, the gutter of its band, and a cover 2 × 6 + pages × 0.0025 + 0.25 in wide', async () => {
  assert.doesNotMatch(kdpBuild.stderr, /\s(error|warning)\s/, 'the preflight finds nothing')
  assert.match(kdpBuild.stderr, /preflight/)
  const interior = path.join(kdpOut, 'writing-with-quire-print.pdf')
  const pages = Number(/Pages:\s+(\d+)/.exec(await run('pdfinfo', [interior]))![1])
  for (const page of [1, Math.ceil(pages / 2), pages]) assert.deepEqual(await pageSize(interior, page), { width: 432, height: 648 })
  const json = JSON.parse(await run('qpdf', ['--json=2', interior])) as { pages: { object: string }[]; outlines: unknown[]; qpdf: [unknown, Record<string, { value: Record<string, unknown> }>] }
  assert.equal(json.pages.length, pages)
  assert.deepEqual(json.outlines, [], 'no bookmarks')
  const objects = json.qpdf[1]
  for (const page of json.pages) assert.equal(objects[`obj:${page.object}`]!.value['/Annots'], undefined, `no annotations on page ${page.object}`)
  assert.ok(Object.values(objects).every((object) => object.value?.['/Type'] !== '/Annot' && object.value?.['/Subtype'] !== '/Link'), 'no annotation anywhere in the file')
  const fonts = (await run('pdffonts', [interior])).split('\n').slice(2).filter(Boolean)
  assert.ok(fonts.length >= 3, fonts.join('\n'))
  for (const font of fonts) assert.match(font, /\s+yes\s+yes\s+yes\s+\d+\s+0$/, `embedded and subset: ${font}`)
  // The gutter: right-hand pages' text starts at the outside margin plus KDP's 0.375 in for 24–150 pages.
  assert.ok(pages >= 24 && pages <= 150, `${pages} pages`)
  const bbox = await run('pdftotext', ['-bbox', interior, '-'])
  const left = { odd: Infinity, even: Infinity }
  const right = { odd: 0, even: 0 }
  bbox.split('<page ').slice(1).forEach((page, index) => {
    const side = index % 2 === 0 ? 'odd' : 'even'
    for (const match of page.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g)) {
      left[side] = Math.min(left[side], Number(match[1]))
      right[side] = Math.max(right[side], Number(match[2]))
    }
  })
  // Each page's text block, from its outermost words: the inside margin is wider than the outside by the gutter.
  const gutter = 0.375 * 72
  assert.ok(Math.abs(left.odd - left.even - gutter) < 1.5, `right-hand pages start ${left.odd} pt in, left-hand ${left.even}`)
  assert.ok(Math.abs(432 - right.even - (432 - right.odd) - gutter) < 1.5, `left-hand pages end ${right.even} pt in, right-hand ${right.odd}`)
  assert.ok(left.odd >= gutter + 0.25 * 72 - 1, 'the inside margin is at least the gutter and the outside margin')
  const cover = await pageSize(path.join(kdpOut, 'writing-with-quire-cover.pdf'))
  const wanted = 2 * 6 + pages * 0.0025 + 0.25
  assert.ok(Math.abs(cover.width / 72 - wanted) < 0.01, `cover ${cover.width / 72} in wide, expected ${wanted}`)
  assert.ok(Math.abs(cover.height / 72 - 9.25) < 0.01, `cover ${cover.height / 72} in high`)
  const coverText = await run('pdftotext', [path.join(kdpOut, 'writing-with-quire-cover.pdf'), '-'])
  assert.match(coverText, /A guide to writing a long book in Markdown/)
  assert.match(coverText, /Ada Fenwick and Tomás Reyes write about books/)
  assert.match(coverText, /Writing a Book\s+with Quire/)
  assert.match(await run('pdffonts', [path.join(kdpOut, 'writing-with-quire-cover.pdf')]), /Literata-Regular\s+CID TrueType\s+Identity-H\s+yes/)
})

test('IngramSpark with bleed: 6.125 × 9.25 in pages with their trim boxes, and PDF/X-1a by Ghostscript with its own CMYK profile as the output intent', async () => {
  const gs = await run('gs', ['--version']).catch(() => undefined)
  assert.ok(gs, 'Ghostscript is installed (.ci/run installs it)')
  const interior = path.join(ingramOut, 'writing-with-quire-print.pdf')
  assert.deepEqual(await pageSize(interior, 1), { width: 441, height: 666 })
  const boxes = await run('pdfinfo', ['-box', '-f', '1', '-l', '2', interior])
  assert.match(boxes, /Page\s+1 TrimBox:\s+0\.00\s+9\.00\s+432\.00\s+657\.00/, 'a right-hand page bleeds on its right')
  assert.match(boxes, /Page\s+2 TrimBox:\s+9\.00\s+9\.00\s+441\.00\s+657\.00/, 'a left-hand page bleeds on its left')
  assert.match(ingramBuild.stderr, /PDF\/X-1a by Ghostscript/)
  const profiles = (await readdir('/usr/share/ghostscript', { withFileTypes: true }).catch(() => [])).map((entry) => path.join('/usr/share/ghostscript', entry.name, 'iccprofiles', 'default_cmyk.icc'))
  const profile = await Promise.any(profiles.map((file) => readFile(file)))
  for (const name of ['writing-with-quire-print.pdf', 'writing-with-quire-cover.pdf']) {
    const bytes = await readFile(path.join(ingramOut, name))
    assert.equal(bytes.subarray(0, 8).toString('latin1'), '%PDF-1.3')
    const doc = await PDFDocument.load(bytes, { updateMetadata: false })
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict)
    const text = (key: string) => (info.lookup(PDFName.of(key)) as PDFString | undefined)?.decodeText()
    assert.equal(text('GTS_PDFXVersion'), 'PDF/X-1:2001', name)
    assert.equal(text('GTS_PDFXConformance'), 'PDF/X-1a:2001', name)
    const intents = doc.catalog.lookup(PDFName.of('OutputIntents'))
    assert.ok(intents, `${name}: an output intent`)
    const intent = doc.context.lookup((intents as unknown as { get(index: number): PDFDict }).get(0), PDFDict)
    assert.equal(String(intent.get(PDFName.of('S'))), '/GTS_PDFX')
    const stream = intent.lookup(PDFName.of('DestOutputProfile')) as PDFRawStream
    const { decodePDFRawStream } = await import('pdf-lib')
    assert.deepEqual(Buffer.from(decodePDFRawStream(stream).decode()), profile, `${name}: Ghostscript's default_cmyk.icc`)
    // CMYK only: no image or colour in RGB is left.
    assert.doesNotMatch((await run('pdfimages', ['-list', path.join(ingramOut, name)])).split('\n').slice(2).join('\n'), /\brgb\b/)
  }
  // The preflight reads the converted files: PDF/X-1a, so no print-pdfx, print-color-rgb or print-transparency.
  assert.doesNotMatch(ingramBuild.stderr, /print-(pdfx|color-rgb|transparency|margin|trim-edge)/)
  // The interior in grey (black text in black ink alone), the cover in CMYK; a document id in each trailer.
  const interiorText = (await run('qpdf', ['--qdf', '--object-streams=disable', interior, '-'])).toString()
  assert.doesNotMatch(interiorText, /^[\d.]+ [\d.]+ [\d.]+ [\d.]+ k$/m, 'no CMYK colour in the interior')
  assert.match(interiorText, /^0 g$/m, 'black text is grey 0')
  for (const name of ['writing-with-quire-print.pdf', 'writing-with-quire-cover.pdf']) {
    assert.match((await readFile(path.join(ingramOut, name))).toString('latin1'), /\/ID ?\[ ?<[0-9A-F]{32}> ?<[0-9A-F]{32}> ?\]/, `${name}: a document id`)
  }
})

test('IngramSpark without Ghostscript: the editions are built (exit 0) and the preflight says the files are plain PDF and why', async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-store-out-'))
  const result = await cli(['build', ingramDir, '--out', out, '--format', 'pdf'], { env: { QUIRE_GS: '' } })
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /warning\s+IngramSpark asks for PDF\/X-1a; this file is plain PDF\. Install Ghostscript/)
  assert.match(result.stderr, /print-pdfx/)
  assert.deepEqual((await readdir(out)).filter((name) => name.endsWith('.pdf')).sort(), ['writing-with-quire-cover.pdf', 'writing-with-quire-print.pdf', 'writing-with-quire.pdf'])
  // The same plain files, converted here: the bytes the build with Ghostscript wrote (its document id included).
  const search = await findGhostscript()
  assert.ok('found' in search, 'Ghostscript is installed')
  const plain = await readFile(path.join(out, 'writing-with-quire-print.pdf'))
  const date = new Date('2026-11-01T00:00:00Z')
  const title = 'Writing a Book with Quire: A Guide for Authors of Long Nonfiction'
  const [once, twice] = await Promise.all([1, 2].map(() => convertToPdfX(plain, { title, date, colour: 'gray' }, search.found)))
  assert.ok(Buffer.from(once!).equals(Buffer.from(twice!)), 'two conversions, the same bytes')
  assert.ok(Buffer.from(once!).equals(await readFile(path.join(ingramOut, 'writing-with-quire-print.pdf'))), 'the build with Ghostscript wrote the same bytes')
})

test('a trim the store does not offer is an error at trim:, listing those it does', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: Odd\ntrim: 6.3x9.1in\nprint:\n  preset: kdp\n', '01-one.md': '# One\n\nText.\n' })
  const result = await cli(['check', dir])
  assert.equal(result.code, 1)
  assert.match(result.stdout, /2:7\s+error\s+Invalid value for `trim` in book.yaml: KDP does not print 6.3x9.1in; it offers 5x8in, 5.06x7.81in, .*6x9in.*config-invalid/)
})

test('check --print on a bad interior: a 0.2 in margin, an image across the trim and a font not embedded, each with its page; a cover of the wrong size', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: Bad Proof\ntrim: 6x9in\nprint:\n  preset: kdp\n', '01-one.md': '# One\n\nText.\n' })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-store-out-'))
  const doc = await PDFDocument.create()
  const embedded = await PDFDocument.load(await readFile(path.join(kdpOut, 'writing-with-quire-print.pdf')))
  // Pages from Quire's own interior (fonts embedded, margins right), and three made wrong.
  const good = await doc.copyPages(embedded, embedded.getPageIndices().slice(0, 30))
  good.forEach((page) => doc.addPage(page))
  const helvetica = await doc.embedFont(StandardFonts.Helvetica)
  // Page 3, a right-hand page: a line ending 0.2 in from the outside (right) edge.
  const line = 'A line set too close to the edge'
  doc.getPage(2).drawText(line, { x: 432 - 14.4 - helvetica.widthOfTextAtSize(line, 10), y: 300, size: 10, font: helvetica })
  // Page 5: an image running 0.1 in past the right-hand trim, with no bleed.
  const png = await doc.embedPng(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64'))
  doc.getPage(4).drawImage(png, { x: 300, y: 200, width: 139.2, height: 100 })
  await writeFile(path.join(out, 'bad-proof-print.pdf'), await doc.save())
  // A cover of the right size (30 pages, white: 12.318 in) with text in the barcode's box and across the spine's fold.
  const cover = await PDFDocument.create()
  const sheet = cover.addPage([12.31756 * 72, 9.25 * 72])
  const coverFont = await cover.embedFont(StandardFonts.Helvetica)
  sheet.drawText('Praise for the book', { x: (0.125 + 6 - 0.25 - 1) * 72, y: (0.125 + 0.25 + 0.5) * 72, size: 9, font: coverFont })
  sheet.drawText('Title', { x: (0.125 + 6 + 0.01) * 72, y: 4 * 72, size: 9, font: coverFont })
  await writeFile(path.join(out, 'bad-proof-cover.pdf'), await cover.save())
  const result = await cli(['check', dir, '--print', '--out', out, '--format', 'json'])
  assert.equal(result.code, 1, result.stderr)
  const messages = (JSON.parse(result.stdout) as { file: string; page: number | null; ruleId: string; message: string }[]).filter((d) => d.ruleId.startsWith('print-'))
  const byRule = (rule: string) => messages.filter((d) => d.ruleId === rule)
  assert.deepEqual(byRule('print-margin').map((d) => d.page), [3], JSON.stringify(messages, null, 1))
  assert.match(byRule('print-margin')[0]!.message, /^Page 3: text \(“A line set too close to the ed”\) 0\.20 in from the outside edge, where KDP needs at least 0\.25 in$/)
  assert.deepEqual(byRule('print-trim-edge').map((d) => d.page), [5])
  assert.match(byRule('print-trim-edge')[0]!.message, /an image runs 0\.10 in past the outside trim line/)
  assert.deepEqual(byRule('print-font-embedded').map((d) => `${path.basename(d.file)} ${d.page}`), ['bad-proof-print.pdf 3', 'bad-proof-cover.pdf 1'])
  assert.match(byRule('print-font-embedded')[0]!.message, /Helvetica is not embedded \(used on page 3\)/)
  assert.deepEqual(byRule('print-cover-text').map((d) => d.message), [
    'Page 1: text (“Praise for the book”) in the 2 × 1.2 in box the store keeps for the barcode: shorten `back-cover:` or `author-bio:` in book.yaml',
    'Page 1: text (“Title”) across a fold of the spine or within 0.0625 in of one, where the binding may put it on the wrong side: shorten the title, or the back cover\'s text',
  ])
  assert.ok(messages.every((d) => d.file.endsWith('bad-proof-print.pdf') || d.file.endsWith('bad-proof-cover.pdf')))
  // A cover for another page count, and one that is no PDF at all.
  const wrong = await PDFDocument.create()
  wrong.addPage([12 * 72, 9.25 * 72])
  await writeFile(path.join(out, 'bad-proof-cover.pdf'), await wrong.save())
  const sized = JSON.parse((await cli(['check', dir, '--print', '--out', out, '--format', 'json'])).stdout) as { ruleId: string; message: string }[]
  assert.match(sized.find((d) => d.ruleId === 'print-cover-size')!.message, /for 30 pages on white paper KDP needs 12\.318 × 9\.250 in/)
  await writeFile(path.join(out, 'bad-proof-cover.pdf'), '%PDF-1.4 cut short')
  const broken = JSON.parse((await cli(['check', dir, '--print', '--out', out, '--format', 'json'])).stdout) as { ruleId: string; message: string }[]
  assert.match(broken.find((d) => d.ruleId === 'print-file-unreadable')!.message, /The cover .*bad-proof-cover\.pdf cannot be read as a PDF/)
  // The same files, reported as text: each with its page.
  const text = await cli(['check', dir, '--print', '--out', out])
  assert.match(text.stdout, /bad-proof-print\.pdf\n(.*\n)*.*error\s+Page 3: text \(“A line/)
})
