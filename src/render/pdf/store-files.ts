/**
 * The files a print-on-demand service takes, for `print: preset:`: the
 * interior laid out with the store's margins for its final page count,
 * with trim and bleed boxes, and the full-wrap cover sized from that count
 * (cover.ts); both as PDF/X-1a when the store asks for it and Ghostscript
 * is installed (pdfx.ts). What the store would still refuse is the
 * preflight's to say (src/preflight), which the build runs on them.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { toString } from 'hast-util-to-string'
import { PDFDocument, PDFName } from 'pdf-lib'
import { bandEnd, bandName, bandOf, BLEED, gutterFor, stores, type PrintPreset } from '../../config/stores.ts'
import type { Book } from '../../model/types.ts'
import type { Artifact, RenderContext } from '../types.ts'
import type { PrintedPage } from './page-starts.ts'
import { coverDocument, coverLayout, printCover } from './cover.ts'
import { pageGeometry, type PageGeometry } from './page-styles.ts'
import { convertToPdfX, findGhostscript } from './pdfx.ts'
import { bookInfo, writeInfo } from './pdf-file.ts'

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
  // The gutter depends on the page count the gutter helps decide: start from the last build's count, else an estimate.
  const expected = (await rememberedPages(context, config.slug)) ?? estimatePages(book, pageGeometry(config.trim, config.print, { preset, pages: store.pages.min }))
  // Each layout's printed pages (for the EPUB's page list): the one kept is told once it is known.
  const printed = new Map<PrintedInterior, PrintedPage[]>()
  const printLayout = async (geometry: PageGeometry) => {
    let pages: PrintedPage[] | undefined
    const interior = await printInterior(book, { ...context, ...(context.onPrintedPages ? { onPrintedPages: (found: PrintedPage[]) => void (pages = found) } : {}) }, geometry)
    if (pages) printed.set(interior, pages)
    return interior
  }
  const { interior, geometry } = await layOutForStore(expected, (pages) => pageGeometry(config.trim, config.print, { preset, pages }), printLayout, (pages, narrower) =>
    progress(narrower ? `laid out again with ${store.name}'s narrower inside margin for ${bandName(pages)} (${gutterFor(pages)} in), to see if it holds` : `${pages} pages: ${store.name}'s inside margin for ${bandName(pages)} is ${gutterFor(pages)} in, laid out again`),
  )
  const pages = printed.get(interior)
  if (pages) context.onPrintedPages?.(pages)
  const b = BLEED * 72
  const { width, height } = geometry.points
  const files: Artifact[] = []
  for (const file of interior.files) {
    // The screen edition is for reading; the print file is the upload. A recto's bleed is on its right, a verso's on its left.
    const trimOf = (index: number) => (preset.bleed ? (index % 2 === 0 ? [0, b, width - b, height - b] : [b, b, width, height - b]) : [0, 0, width, height])
    files.push(file.path.endsWith('-print.pdf') ? { ...file, content: await setPageBoxes(file.content, trimOf) } : file)
  }
  const layout = coverLayout(config, preset, interior.pages)
  progress(`cover: ${layout.width.toFixed(3)} × ${layout.height.toFixed(3)} in, spine ${layout.spine.toFixed(3)} in${layout.spineText ? '' : ' (no text: too thin)'}`)
  const bytes = await printCover(coverDocument(config, layout), layout, context.browser!, progress)
  const info = bookInfo(config)
  const sheet = { width: layout.width * 72, height: layout.height * 72 }
  // The cover's trim: the sheet less its bleed on every side.
  const cover = await setPageBoxes(writeInfo(bytes, { ...info, pageSize: sheet }), () => [b, b, sheet.width - b, sheet.height - b])
  files.push({ kind: 'file', path: `${config.slug}-cover.pdf`, content: cover })
  if (!store.wantsPdfX) return files
  const search = await findGhostscript()
  if ('missing' in search) {
    progress(`${store.name} asks for PDF/X-1a: ${search.missing}, so the print file and the cover stay plain PDF`)
    return files
  }
  const gs = search.found
  progress(`PDF/X-1a by Ghostscript ${gs.version}`)
  return await Promise.all(
    files.map(async (file) => {
      // The screen edition keeps its links (PDF/X allows none); the print file and the cover are converted.
      if (file.kind !== 'file' || file.path === `${config.slug}.pdf`) return file
      try {
        // A black-and-white interior in grey; the cover, and an interior on colour paper, in CMYK.
        const colour = file.path.endsWith('-print.pdf') && preset.paper !== 'color' ? 'gray' : 'cmyk'
        return { ...file, content: await convertToPdfX(file.content, { title: info.title, date: info.date, colour }, gs) }
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
 * it came to whenever that is in another band of the gutter table (wider
 * margins only add pages, so going up ends). A book can hold in two bands
 * (150 pages with the narrower gutter, 153 with the wider): the narrower
 * wins, whatever the expected count, so the bytes never depend on the
 * cache. So a layout settled above the first band tries the band below,
 * unless its pages, scaled by the two measures, cannot fit that band.
 */
export async function layOutForStore(
  expected: number,
  geometryFor: (pages: number) => PageGeometry,
  print: (geometry: PageGeometry) => Promise<PrintedInterior>,
  onAgain: (pages: number, narrower: boolean) => void,
): Promise<{ interior: PrintedInterior; geometry: PageGeometry }> {
  const tried = new Set<number>()
  const layOut = async (pages: number) => {
    const geometry = geometryFor(pages)
    const interior = await print(geometry)
    tried.add(bandOf(pages))
    return { interior, geometry }
  }
  let settled = await layOut(expected)
  for (let layouts = 1; bandOf(settled.interior.pages) !== bandOf(expected) && layouts < MAX_LAYOUTS; layouts++) {
    onAgain(settled.interior.pages, false)
    expected = settled.interior.pages
    settled = await layOut(expected)
  }
  for (let below = bandOf(expected) - 1; below >= 0 && !tried.has(below); below--) {
    const narrower = geometryFor(bandEnd(below))
    // Lines shorten with the measure; blank pages and openings do not, so this is the least it could come to.
    if (0.95 * settled.interior.pages * (settled.geometry.contentWidth / narrower.contentWidth) > bandEnd(below)) break
    onAgain(bandEnd(below), true)
    const lower = await layOut(bandEnd(below))
    if (bandOf(lower.interior.pages) !== below) break
    settled = lower
  }
  return settled
}

/**
 * A first guess at the page count, from the text's length and the page's
 * measure: only where the layout starts (a wrong band costs one layout
 * more, never a different result), so a long book's first build does not
 * climb the gutter table band by band.
 */
export function estimatePages(book: Pick<Book, 'chapters'>, geometry: PageGeometry): number {
  const characters = book.chapters.reduce((sum, chapter) => sum + toString(chapter.hast).length, 0)
  const fontPx = (geometry.textSize * 96) / 72
  // Literata averages about half an em a character; a chapter opens on a new right-hand page.
  const perLine = geometry.contentWidth / (0.5 * fontPx)
  const perPage = Math.floor(geometry.contentHeight / (fontPx * geometry.leading))
  return Math.ceil(characters / (perLine * perPage)) + 2 * book.chapters.length + 8
}

/** The page count the last build printed, from its plan beside the print document. */
async function rememberedPages(context: RenderContext, slug: string): Promise<number | undefined> {
  if (context.reuse === false || !context.cacheDir) return undefined
  const plan = await readFile(path.join(context.cacheDir, 'pdf', `${slug}.plan.json`), 'utf8').catch(() => undefined)
  const pages = plan ? (JSON.parse(plan) as { pages?: unknown }).pages : undefined
  return typeof pages === 'number' && pages > 0 ? pages : undefined
}

/** Each page's trim box (from its index, in points), and its bleed box: the whole page. */
async function setPageBoxes(bytes: Uint8Array, trimOf: (index: number) => number[]): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  doc.getPages().forEach((page, index) => {
    const { width, height } = page.getMediaBox()
    page.node.set(PDFName.of('TrimBox'), doc.context.obj(trimOf(index)))
    page.node.set(PDFName.of('BleedBox'), doc.context.obj([0, 0, width, height]))
  })
  return await doc.save({ useObjectStreams: false, updateFieldAppearances: false })
}
