/**
 * The interior's preflight: page count and size, margins by the store's
 * table, what is near or across the trim line, fonts, annotations and
 * bookmarks, transparency, RGB and PDF/X where the store asks for CMYK.
 */
import type { VFile } from 'vfile'
import type { ResolvedConfig } from '../config/schema.ts'
import { bandName, BLEED, gutterFor, trimInches, type PrintPreset, type Store } from '../config/stores.ts'
import { report } from '../diagnostics/rules.ts'
import type { Box, PdfFacts, PdfPageFacts } from './read-pdf.ts'
import { inches, reportPage, reportPages } from './report-page.ts'

/** What a page's size or a margin may be off by and still pass: Chromium rounds to pixels (0.01 in). */
const SLACK = 0.75

/** The zone inside the trim line that the cut may reach (points). */
const DANGER = BLEED * 72

export interface InteriorTarget {
  config: ResolvedConfig
  preset: PrintPreset
  store: Store
}

export function checkInterior(facts: PdfFacts, target: InteriorTarget, file: VFile): void {
  const { store, preset } = target
  const count = facts.pages.length
  if (count < store.pages.min || count > store.pages.max) {
    report(file, 'print-page-count', `The interior has ${count} pages; ${store.name} prints ${store.pages.min} to ${store.pages.max}${count < store.pages.min ? ': add pages (the store will not pad it)' : ': split the book into volumes, or choose a larger trim'}`)
  }
  checkPageSizes(facts, target, file)
  const gutter = gutterFor(count) * 72
  const least = store.minMargin * 72
  const margins: { page: number; reason: string }[] = []
  const edges: { page: number; reason: string }[] = []
  for (const page of facts.pages) {
    const trim = trimOf(page, preset.bleed)
    // Right-hand pages are the odd ones: their spine is on the left.
    const insideLeft = page.number % 2 === 1
    let worstMargin: { short: number; reason: string } | undefined
    let worstEdge: { distance: number; reason: string } | undefined
    for (const mark of page.marks) {
      if (mark.kind === 'path') continue
      const sides = distances(mark.box, trim, insideLeft)
      for (const [side, distance] of Object.entries(sides) as [Side, number][]) {
        // An image meant to bleed runs past the trim to the page's edge on that side: allowed with bleed.
        if (mark.kind === 'image' && preset.bleed && side !== 'inside' && reachesEdge(mark.box, page.mediaBox, side, insideLeft)) continue
        const what = mark.kind === 'text' ? `text${mark.text ? ` (“${mark.text.trim().slice(0, 30)}”)` : ''}` : 'an image'
        if (distance < DANGER - SLACK && side !== 'inside') {
          if (!worstEdge || distance < worstEdge.distance) worstEdge = { distance, reason: distance < 0 ? `${what} runs ${inches(-distance)} past the ${side} trim line, where it will be cut off${mark.kind === 'image' && !preset.bleed ? ' (with `print: bleed: true` an image may run off the page, to the bleed edge)' : ''}` : `${what} ${inches(distance)} from the ${side} trim line, which the cut may reach (keep it ${inches(DANGER)} inside)` }
          continue
        }
        const needed = side === 'inside' ? gutter : least
        if (distance < needed - SLACK && (!worstMargin || needed - distance > worstMargin.short)) {
          worstMargin = { short: needed - distance, reason: `${what} ${inches(Math.max(0, distance))} from the ${side} edge, where ${store.name} needs at least ${inches(needed)}${side === 'inside' ? ` for a book of ${bandName(count)}` : ''}` }
        }
      }
    }
    if (worstEdge) edges.push({ page: page.number, reason: worstEdge.reason })
    if (worstMargin) margins.push({ page: page.number, reason: worstMargin.reason })
  }
  reportPages(file, 'print-trim-edge', edges)
  reportPages(file, 'print-margin', margins)
  for (const font of facts.fonts) {
    if (font.embedded) continue
    reportPage(file, 'print-font-embedded', font.pages[0], `the font ${font.name} is not embedded (used on page${font.pages.length === 1 ? '' : 's'} ${font.pages.slice(0, 10).join(', ')}${font.pages.length > 10 ? ' …' : ''}): the printer would set another in its place. Embed every font when making the PDF`)
  }
  if (facts.outline) report(file, 'print-annotations', `The interior has bookmarks, which ${store.name} asks print files not to have: use the print file Quire writes (<slug>-print.pdf)`)
  reportPages(
    file,
    'print-annotations',
    facts.pages.filter((page) => page.annotations > 0).map((page) => ({ page: page.number, reason: `${page.annotations} annotation${page.annotations === 1 ? '' : 's'} (links, comments), which ${store.name} asks print files not to have` })),
  )
  checkColour(facts, target, file)
}

/** Every page the trim (plus the bleed, when on) within a hundredth of an inch. */
function checkPageSizes(facts: PdfFacts, { config, preset }: InteriorTarget, file: VFile): void {
  const trim = trimInches(config.trim)
  const width = (trim.width + (preset.bleed ? BLEED : 0)) * 72
  const height = (trim.height + (preset.bleed ? 2 * BLEED : 0)) * 72
  const wrong = facts.pages.filter((page) => Math.abs(page.mediaBox[2] - page.mediaBox[0] - width) > SLACK || Math.abs(page.mediaBox[3] - page.mediaBox[1] - height) > SLACK)
  reportPages(
    file,
    'print-page-size',
    wrong.map((page) => ({ page: page.number, reason: `the page is ${inches(page.mediaBox[2] - page.mediaBox[0])} × ${inches(page.mediaBox[3] - page.mediaBox[1])}, where the trim${preset.bleed ? ' with bleed' : ''} is ${inches(width)} × ${inches(height)}` })),
  )
}

/** Transparency, RGB and PDF/X: said once per file, with the first page where each is found. */
export function checkColour(facts: PdfFacts, { store }: Pick<InteriorTarget, 'store'>, file: VFile): void {
  const transparent = facts.pages.filter((page) => page.transparency.length > 0)
  if (transparent.length > 0) {
    const first = transparent[0]!
    reportPage(file, 'print-transparency', first.number, `transparency (${first.transparency.join(', ')}) on ${transparent.length} page${transparent.length === 1 ? '' : 's'}, which ${store.name} asks to have flattened${store.wantsPdfX ? ': the PDF/X-1a conversion (Ghostscript) flattens it' : ''}`)
  }
  if (!store.wantsPdfX) return
  const rgb = facts.pages.filter((page) => page.rgbImages > 0 || page.rgbColor)
  if (rgb.length > 0) reportPage(file, 'print-color-rgb', rgb[0]!.number, `RGB colour on ${rgb.length} page${rgb.length === 1 ? '' : 's'}, where ${store.name} asks for CMYK: install Ghostscript and build again, and Quire converts the files to PDF/X-1a`)
  const version = facts.info.GTS_PDFXConformance ?? facts.info.GTS_PDFXVersion
  if (!version || !/PDF\/X-1a/.test(version) || !facts.outputIntents.some((intent) => intent.subtype === 'GTS_PDFX' && intent.profile)) {
    const what = !version ? 'plain PDF' : /PDF\/X-1a/.test(version) ? `${version} without an output profile` : version
    report(file, 'print-pdfx', `${store.name} asks for PDF/X-1a; this file is ${what}. Install Ghostscript (apt-get install ghostscript, brew install ghostscript) and build again, and Quire converts it (if it is installed, the build's progress with --verbose gives its error)`)
  }
}

type Side = 'inside' | 'outside' | 'top' | 'bottom'

/** The trim: the page's own TrimBox, else the page less the bleed the preset puts on it. */
function trimOf(page: PdfPageFacts, bleed: boolean): Box {
  if (page.trimBox) return page.trimBox
  const [x0, y0, x1, y1] = page.mediaBox
  if (!bleed) return page.mediaBox
  const b = BLEED * 72
  return page.number % 2 === 1 ? [x0, y0 + b, x1 - b, y1 - b] : [x0 + b, y0 + b, x1, y1 - b]
}

/** How far a mark keeps from each edge of the trim (negative: past it). */
function distances(box: Box, trim: Box, insideLeft: boolean): Record<Side, number> {
  const left = box[0] - trim[0]
  const right = trim[2] - box[2]
  return { inside: insideLeft ? left : right, outside: insideLeft ? right : left, bottom: box[1] - trim[1], top: trim[3] - box[3] }
}

/** Whether an image runs to the page's own edge on a side (it bleeds there). */
function reachesEdge(box: Box, media: Box, side: Side, insideLeft: boolean): boolean {
  const outsideRight = insideLeft
  switch (side) {
    case 'top':
      return box[3] >= media[3] - SLACK
    case 'bottom':
      return box[1] <= media[1] + SLACK
    case 'outside':
      return outsideRight ? box[2] >= media[2] - SLACK : box[0] <= media[0] + SLACK
    default:
      return false
  }
}
