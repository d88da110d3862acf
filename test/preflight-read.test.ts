/** The preflight's PDF reader, on PDFs made here with pdf-lib: boxes, marks, fonts, transparency, colour and the document's metadata. */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { deflateSync } from 'node:zlib'
import { BlendMode, beginText, cmyk, endText, moveText, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, rgb, setFontAndSize, showText, StandardFonts } from 'pdf-lib'
import { readPdf, type Box, type PdfFacts } from '../src/preflight/read-pdf.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
/** Before pdfjs is first loaded (by the reader, lazily), which replaces them. */
const natives = { push: Array.prototype.push, parse: JSON.parse }

/** A PNG of `width` × 1 RGBA pixels, half transparent, so pdf-lib gives it an SMask. */
function translucentPng(width: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    for (let bit = 0; bit < 8; bit++) n = n & 1 ? 0xedb88320 ^ (n >>> 1) : n >>> 1
    return n >>> 0
  })
  const crc = (bytes: Buffer) => (bytes.reduce((value, byte) => crcTable[(value ^ byte) & 0xff]! ^ (value >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([length, body, sum])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(1, 4)
  header[8] = 8 // bits per channel
  header[9] = 6 // RGBA
  const row = Buffer.from([0, ...Array.from({ length: width }, () => [200, 40, 40, 128]).flat()])
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(row)), chunk('IEND', Buffer.alloc(0))])
}

/**
 * Three pages. 1, 6 × 9 in: Helvetica (not embedded) at x = 0.2 in, a
 * TrueType font embedded by hand, a translucent PNG over the right edge, a
 * half-opaque and a multiplied rectangle in RGB, a link. 2, with bleed:
 * TrimBox, BleedBox, a transparency group and CMYK only. 3: page 1 again,
 * as a form XObject at half size.
 */
async function samplePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const { context } = doc
  doc.setTitle('Preflight sample')
  doc.setProducer('pdf-lib')
  const info = context.lookup(context.trailerInfo.Info) as PDFDict
  info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of('PDF/X-1:2001'))
  info.set(PDFName.of('Trapped'), PDFName.of('False'))

  const first = doc.addPage([432, 648])
  const helvetica = await doc.embedFont(StandardFonts.Helvetica)
  first.drawText('Safe margin', { x: 14.4, y: 600, size: 12, font: helvetica })
  first.drawImage(await doc.embedPng(translucentPng(4)), { x: 400, y: 300, width: 60, height: 40 })
  first.drawRectangle({ x: 100, y: 100, width: 50, height: 50, color: rgb(1, 0, 0), opacity: 0.5 })
  first.drawRectangle({ x: 200, y: 100, width: 50, height: 50, color: rgb(0, 0, 1), blendMode: BlendMode.Multiply })
  const link = context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [100, 100, 150, 150], Border: [0, 0, 0], A: { S: 'URI', URI: PDFString.of('https://example.com/') } })
  first.node.addAnnot(context.register(link))

  // A TrueType font embedded by hand (pdf-lib embeds only standard fonts without fontkit): Liberation Sans, Helvetica's metrics.
  const ttf = await readFile(path.join(ROOT, 'node_modules/pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf'))
  const widths = Array.from({ length: 95 }, (_, index) => Math.round(helvetica.widthOfTextAtSize(String.fromCharCode(32 + index), 1000)))
  const descriptor = context.obj({ Type: 'FontDescriptor', FontName: 'ABCDEF+LiberationSans', Flags: 32, FontBBox: [-203, -303, 1050, 910], ItalicAngle: 0, Ascent: 905, Descent: -212, CapHeight: 716, StemV: 80, FontFile2: context.register(context.flateStream(ttf, { Length1: ttf.length })) })
  const liberation = context.obj({ Type: 'Font', Subtype: 'TrueType', BaseFont: 'ABCDEF+LiberationSans', FirstChar: 32, LastChar: 126, Widths: widths, Encoding: 'WinAnsiEncoding', FontDescriptor: context.register(descriptor) })
  const key = first.node.newFontDictionary('Liberation', context.register(liberation))
  first.pushOperators(beginText(), setFontAndSize(key, 14), moveText(72, 500), showText(PDFHexString.of(Buffer.from('Embedded face', 'latin1').toString('hex'))), endText())

  const second = doc.addPage([450, 666])
  second.setBleedBox(0, 0, 450, 666)
  second.setTrimBox(9, 9, 432, 648)
  second.node.set(PDFName.of('Group'), context.obj({ S: 'Transparency', CS: 'DeviceCMYK' }))
  second.drawRectangle({ x: 0, y: 0, width: 450, height: 20, color: cmyk(0, 0, 0, 1) })
  second.drawText('Process black', { x: 50, y: 300, size: 10, font: helvetica, color: cmyk(0, 0, 0, 1) })

  const third = doc.addPage([432, 648])
  third.drawPage(await doc.embedPage(first), { x: 0, y: 0, xScale: 0.5, yScale: 0.5 })

  const outlines = context.nextRef()
  const item = context.register(context.obj({ Title: PDFString.of('Chapter'), Parent: outlines, Dest: [first.ref, 'Fit'] }))
  context.assign(outlines, context.obj({ Type: 'Outlines', First: item, Last: item, Count: 1 }))
  doc.catalog.set(PDFName.of('Outlines'), outlines)
  const profile = context.register(context.flateStream(new Uint8Array(128), { N: 4 }))
  doc.catalog.set(PDFName.of('OutputIntents'), context.obj([{ Type: 'OutputIntent', S: 'GTS_PDFX', OutputConditionIdentifier: PDFString.of('FOGRA39'), DestOutputProfile: profile }]))
  doc.catalog.set(PDFName.of('Metadata'), context.register(context.stream('<x:xmpmeta xmlns:x="adobe:ns:meta/"><pdfx:GTS_PDFXVersion>PDF/X-1:2001</pdfx:GTS_PDFXVersion></x:xmpmeta>', { Type: 'Metadata', Subtype: 'XML' })))
  return doc.save()
}

const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 0.01, `${what}: ${actual}, not ${expected}`)
const nearBox = (actual: Box | undefined, expected: Box, what: string) => expected.forEach((value, index) => near(actual?.[index] ?? NaN, value, `${what}[${index}]`))

let facts: Promise<{ bytes: Uint8Array; facts: PdfFacts }> | undefined
/** The sample, read once for all tests. */
function sample() {
  return (facts ??= samplePdf().then(async (bytes) => ({ bytes, facts: await readPdf(bytes) })))
}

test('the pages: boxes as written, a missing TrimBox missing, annotations counted', async () => {
  const { pages } = (await sample()).facts
  assert.equal(pages.length, 3)
  assert.deepEqual(pages.map((page) => page.number), [1, 2, 3])
  assert.deepEqual(pages[0]!.mediaBox, [0, 0, 432, 648])
  assert.equal(pages[0]!.trimBox, undefined)
  assert.equal(pages[0]!.bleedBox, undefined)
  assert.deepEqual(pages[1]!.mediaBox, [0, 0, 450, 666])
  assert.deepEqual(pages[1]!.trimBox, [9, 9, 441, 657])
  assert.deepEqual(pages[1]!.bleedBox, [0, 0, 450, 666])
  assert.deepEqual(pages.map((page) => page.annotations), [1, 0, 0])
})

test('text marks: where each item is drawn, from the font metrics, with its text', async () => {
  const [first, second] = (await sample()).facts.pages
  const safe = first!.marks.find((mark) => mark.kind === 'text' && mark.text === 'Safe margin')
  assert.ok(safe, JSON.stringify(first!.marks))
  near(safe.box[0], 14.4, 'the left edge of the text')
  // Helvetica's widths: S 667, a 556, f 278, e 556, space 278, m 833, a 556, r 333, g 556, i 222, n 556 (per 1000).
  near(safe.box[2], 14.4 + (5391 * 12) / 1000, 'the right edge, a width along the baseline')
  assert.ok(safe.box[1] < 600 && safe.box[3] > 600 + 6, `from below the baseline to above the x-height: ${safe.box}`)
  assert.ok(safe.box[3] - safe.box[1] < 15, `no taller than the type: ${safe.box}`)
  const embedded = first!.marks.find((mark) => mark.text === 'Embedded face')
  assert.ok(embedded, 'the embedded font draws text too')
  near(embedded.box[0], 72, 'its left edge')
  assert.ok(second!.marks.some((mark) => mark.kind === 'text' && mark.text === 'Process black'))
})

test('image and path marks: an image over the edge, paths painted, a form XObject placed and clipped by its bounding box', async () => {
  const [first, second, third] = (await sample()).facts.pages
  const images = first!.marks.filter((mark) => mark.kind === 'image')
  assert.equal(images.length, 1)
  nearBox(images[0]!.box, [400, 300, 460, 340], 'the image')
  assert.ok(images[0]!.box[2] > first!.mediaBox[2], 'it crosses the right edge')
  const paths = first!.marks.filter((mark) => mark.kind === 'path').map((mark) => mark.box)
  assert.deepEqual(paths, [[100, 100, 150, 150], [200, 100, 250, 150]])
  assert.deepEqual(second!.marks.filter((mark) => mark.kind === 'path').map((mark) => mark.box), [[0, 0, 450, 20]])
  // Page 1 at half size: the image would reach 230, but the form's box (the page, halved) ends at 216.
  const placed = third!.marks.filter((mark) => mark.kind === 'image')
  assert.equal(placed.length, 1)
  nearBox(placed[0]!.box, [200, 150, 216, 170], 'the image in the form')
  const text = third!.marks.find((mark) => mark.text === 'Safe margin')
  near(text?.box[0] ?? NaN, 7.2, 'the text in the form')
})

test('fonts: embedded or not, subset or not, and the pages (and forms) using them', async () => {
  const { fonts } = (await sample()).facts
  const helvetica = fonts.find((font) => font.name === 'Helvetica')
  assert.deepEqual(helvetica, { name: 'Helvetica', baseFont: 'Helvetica', embedded: false, subset: false, type: 'Type1', pages: [1, 2, 3] })
  const liberation = fonts.find((font) => font.name === 'LiberationSans')
  assert.deepEqual(liberation, { name: 'LiberationSans', baseFont: 'ABCDEF+LiberationSans', embedded: true, subset: true, type: 'TrueType', pages: [1, 3] })
  assert.equal(fonts.length, 2)
})

test('transparency: opacity, blend modes and soft masks, also inside forms; a page group alone is not transparency', async () => {
  const [first, second, third] = (await sample()).facts.pages
  assert.deepEqual([...first!.transparency].sort(), ['an image with an alpha channel (SMask)', 'blend mode Multiply', 'opacity 0.5'])
  assert.deepEqual([...third!.transparency].sort(), [...first!.transparency].sort())
  assert.deepEqual(second!.transparency, [])
  assert.deepEqual([first, second, third].map((page) => page!.transparencyGroup), [false, true, false])
})

test('colour: RGB images counted, RGB operators found in the content, CMYK not taken for RGB', async () => {
  const [first, second, third] = (await sample()).facts.pages
  assert.equal(first!.rgbImages, 1)
  assert.equal(third!.rgbImages, 1)
  assert.equal(second!.rgbImages, 0)
  assert.equal(first!.rgbColor, true)
  assert.equal(third!.rgbColor, true)
  // pdfjs reports `k` as an RGB colour; the reader reads the operators themselves.
  assert.equal(second!.rgbColor, false)
})

test('the document: outline, Info, output intent, XMP, version; the bytes given are left as they were', async () => {
  const { bytes, facts } = await sample()
  assert.equal(facts.outline, true)
  assert.equal(facts.info.Title, 'Preflight sample')
  assert.equal(facts.info.Producer, 'pdf-lib')
  assert.equal(facts.info.GTS_PDFXVersion, 'PDF/X-1:2001')
  assert.equal(facts.info.Trapped, 'False')
  assert.deepEqual(facts.outputIntents, [{ subtype: 'GTS_PDFX', identifier: 'FOGRA39', profile: true, components: 4 }])
  assert.match(facts.xmp ?? '', /<pdfx:GTS_PDFXVersion>PDF\/X-1:2001</)
  assert.equal(facts.version, '1.7')
  assert.ok(bytes.byteLength > 0, 'not detached by pdfjs')
  assert.equal((await readPdf(bytes)).pages.length, 3, 'and readable again')
})

test('a bare PDF: no outline, intents or XMP, and pdfjs leaves the built-ins it replaces as they were', async () => {
  const doc = await PDFDocument.create()
  doc.addPage([432, 648])
  const facts = await readPdf(await doc.save())
  assert.equal(facts.outline, false)
  assert.deepEqual(facts.outputIntents, [])
  assert.equal(facts.xmp, undefined)
  assert.deepEqual(facts.pages[0]!.marks, [])
  assert.equal(Array.prototype.push, natives.push)
  assert.equal(JSON.parse, natives.parse)
})
