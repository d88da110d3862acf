/**
 * The files a print-on-demand service takes, for `print: preset:`: the
 * interior laid out with the store's margins for its final page count,
 * with trim and bleed boxes, and the full-wrap cover sized from that count
 * (cover.ts); both as PDF/X-1a when the store asks for it and Ghostscript
 * is installed (pdfx.ts). What the store would still refuse is the
 * preflight's to say (src/preflight), after the build writes them.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PDFDocument, PDFName } from 'pdf-lib'
import { bandName, BLEED, gutterFor, stores, type PrintPreset } from '../../config/stores.ts'
import type { Book } from '../../model/types.ts'
import type { Artifact, RenderContext } from '../types.ts'
import { editionDate } from '../edition-date.ts'
import { coverDocument, coverLayout, printCover } from './cover.ts'
import { pageGeometry, type PageGeometry } from './page-styles.ts'
import { convertToPdfX, findGhostscript } from './pdfx.ts'
import { writeInfo } from './pdf-file.ts'

/** The interior's PDF files (the screen edition, the print file) and how many pages they have. */
export interface PrintedInterior {
  files: { kind: 'file'; path: string; content: Uint8Array }[]
  pages: number
}

export type PrintInterior = (book: Book, context: RenderContext, geometry: PageGeometry) => Promise<PrintedInterior>

/** Bands are few and only grow with the margin: more layouts than this means something else moves. */
const MAX_LAYOUTS = 5

/** The interior for the store, its margins from its final page count, and the cover. */
export async function renderForStore(book: Book, context: RenderContext, preset: PrintPreset, printInterior: PrintInterior): Promise<Artifact[]> {
  const { config } = book
  const progress = context.onProgress ?? (() => {})
  const store = stores[preset.store]
  // The gutter depends on the page count the gutter helps decide: start from the last build's count.
  const expected = (await rememberedPages(context, config.slug)) ?? store.pages.min
  const { interior, geometry } = await layOutForStore(expected, (pages) => pageGeometry(config.trim, config.print, { preset, pages }), (geometry) => printInterior(book, context, geometry), (pages) =>
    progress(`${pages} pages: ${store.name}'s inside margin for ${bandName(pages)} is ${gutterFor(pages)} in, laid out again`),
  )
  const files: Artifact[] = []
  for (const file of interior.files) {
    // The screen edition is for reading; the print file is the upload.
    files.push(file.path.endsWith('-print.pdf') ? { ...file, content: await setInteriorBoxes(file.content, geometry, preset.bleed) } : file)
  }
  const layout = coverLayout(config, preset, interior.pages)
  progress(`cover: ${layout.width.toFixed(3)} × ${layout.height.toFixed(3)} in, spine ${layout.spine.toFixed(3)} in${layout.spineText ? '' : ' (no text: too thin)'}`)
  const bytes = await printCover(coverDocument(config, layout), layout, context.browser!)
  const title = config.subtitle ? `${config.title}: ${config.subtitle}` : config.title
  const info = { title, creator: 'Quire', date: editionDate(config), pageSize: { width: layout.width * 72, height: layout.height * 72 } }
  files.push({ kind: 'file', path: `${config.slug}-cover.pdf`, content: await setCoverBoxes(writeInfo(bytes, info)) })
  if (!store.wantsPdfX) return files
  const gs = await findGhostscript()
  if (!gs) {
    progress(`${store.name} asks for PDF/X-1a: Ghostscript is not installed, so the print file and the cover stay plain PDF (install it: apt-get install ghostscript, brew install ghostscript)`)
    return files
  }
  progress(`PDF/X-1a by Ghostscript ${gs.version}`)
  return await Promise.all(
    files.map(async (file) => {
      // The screen edition keeps its links (PDF/X allows none); the print file and the cover are converted.
      if (file.kind !== 'file' || file.path === `${config.slug}.pdf`) return file
      try {
        return { ...file, content: await convertToPdfX(file.content, { title, date: editionDate(config) }, gs) }
      } catch (error) {
        // Still a complete PDF, as Chromium made it: the preflight says it is not PDF/X (`print-pdfx`).
        progress(`${file.path} stays plain PDF: ${(error as Error).message}`)
        return file
      }
    }),
  )
}

/**
 * Lay the interior out for the page count expected, and again for the one
 * it came to whenever that is in another band of the gutter table. Wider
 * margins only add pages, so the bands only go up and this ends.
 */
export async function layOutForStore(
  expected: number,
  geometryFor: (pages: number) => PageGeometry,
  print: (geometry: PageGeometry) => Promise<PrintedInterior>,
  onAgain: (pages: number) => void,
): Promise<{ interior: PrintedInterior; geometry: PageGeometry }> {
  let pages = expected
  for (let layouts = 1; ; layouts++) {
    const geometry = geometryFor(pages)
    const interior = await print(geometry)
    if (gutterFor(interior.pages) === gutterFor(pages) || layouts === MAX_LAYOUTS) return { interior, geometry }
    onAgain(interior.pages)
    pages = interior.pages
  }
}

/** The page count the last build printed, from its plan beside the print document. */
async function rememberedPages(context: RenderContext, slug: string): Promise<number | undefined> {
  if (context.reuse === false || !context.cacheDir) return undefined
  const plan = await readFile(path.join(context.cacheDir, 'pdf', `${slug}.plan.json`), 'utf8').catch(() => undefined)
  const pages = plan ? (JSON.parse(plan) as { pages?: unknown }).pages : undefined
  return typeof pages === 'number' && pages > 0 ? pages : undefined
}

/**
 * Each page's trim box (and bleed box, the whole page): a right-hand page's
 * bleed is on its right, a left-hand page's on its left, and both have it
 * at the top and foot.
 */
async function setInteriorBoxes(bytes: Uint8Array, geometry: PageGeometry, bleed: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  const { width, height } = geometry.points
  const b = bleed ? BLEED * 72 : 0
  doc.getPages().forEach((page, index) => {
    const left = index % 2 === 0 ? 0 : b
    page.node.set(PDFName.of('TrimBox'), doc.context.obj([left, b, left + width - b, height - b]))
    page.node.set(PDFName.of('BleedBox'), doc.context.obj([0, 0, width, height]))
  })
  return await doc.save({ useObjectStreams: false, updateFieldAppearances: false })
}

/** The cover's trim box: the sheet less 0.125 in of bleed on every side. */
async function setCoverBoxes(bytes: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  for (const page of doc.getPages()) {
    const { width, height } = page.getMediaBox()
    const b = BLEED * 72
    page.node.set(PDFName.of('TrimBox'), doc.context.obj([b, b, width - b, height - b]))
    page.node.set(PDFName.of('BleedBox'), doc.context.obj([0, 0, width, height]))
  }
  return await doc.save({ useObjectStreams: false, updateFieldAppearances: false })
}
