/**
 * The cover's preflight: one page, 2 × trim + spine + 0.125 in of bleed on
 * each side wide (the spine from the interior's page count and the paper),
 * the trim plus bleed high, within 1/16 in; no text in the 0.125 in the cut
 * may reach; fonts embedded; and the colour rules the interior has.
 */
import type { VFile } from 'vfile'
import type { ResolvedConfig } from '../config/schema.ts'
import { BARCODE, BLEED, coverSize, storeTrim, type PrintPreset, type Store } from '../config/stores.ts'
import { report } from '../diagnostics/rules.ts'
import { checkColour } from './interior.ts'
import type { PageMark, PdfFacts } from './read-pdf.ts'
import { inches, reportPage } from './report-page.ts'

/** A cover may be off by this much (inches), as the stores' own tolerance. */
const TOLERANCE = 1 / 16

export interface CoverTarget {
  config: ResolvedConfig
  preset: PrintPreset
  store: Store
  /** The interior's page count, when it could be read. */
  pages: number | undefined
}

export function checkCover(facts: PdfFacts, { config, preset, store, pages }: CoverTarget, file: VFile): void {
  if (facts.pages.length !== 1) report(file, 'print-cover-size', `The cover has ${facts.pages.length} pages; ${store.name} takes one, the back, spine and front side by side`)
  const page = facts.pages[0]
  if (!page) return
  const trim = storeTrim(store, config.trim)
  const [x0, y0, x1, y1] = page.mediaBox
  const width = (x1 - x0) / 72
  const height = (y1 - y0) / 72
  if (trim && pages !== undefined) {
    const wanted = coverSize(store, preset, trim, pages)
    if (Math.abs(width - wanted.width) > TOLERANCE || Math.abs(height - wanted.height) > TOLERANCE) {
      reportPage(file, 'print-cover-size', 1, `the cover is ${width.toFixed(3)} × ${height.toFixed(3)} in; for ${pages} pages on ${preset.paper} paper ${store.name} needs ${wanted.width.toFixed(3)} × ${wanted.height.toFixed(3)} in (2 × ${trim.width} in + a ${wanted.spine.toFixed(3)} in spine + 2 × ${BLEED} in bleed, by ${trim.height} in + bleed). Build the cover again from this interior`)
    } else {
      checkCoverText(page.marks, { x0, y0, trim, spine: wanted.spine, clearance: store.spineClearance }, file)
    }
  }
  // The trim line runs 0.125 in inside the sheet's edge; text must keep 0.125 in inside that.
  const b = BLEED * 72
  const inner: [number, number, number, number] = [x0 + 2 * b, y0 + 2 * b, x1 - 2 * b, y1 - 2 * b]
  const near = page.marks.find((mark) => mark.kind === 'text' && (mark.box[0] < inner[0] || mark.box[1] < inner[1] || mark.box[2] > inner[2] || mark.box[3] > inner[3]))
  if (near) {
    const distance = Math.min(near.box[0] - x0 - b, near.box[1] - y0 - b, x1 - b - near.box[2], y1 - b - near.box[3])
    reportPage(file, 'print-trim-edge', 1, `text (“${(near.text ?? '').trim().slice(0, 30)}”) ${distance < 0 ? `runs ${inches(-distance)} past` : `is ${inches(distance)} from`} the cover's trim line; keep it ${inches(b)} inside`)
  }
  for (const font of facts.fonts) {
    if (!font.embedded) reportPage(file, 'print-font-embedded', 1, `the font ${font.name} is not embedded: the printer would set another in its place`)
  }
  if (page.annotations > 0 || facts.outline) report(file, 'print-annotations', `The cover has ${page.annotations > 0 ? 'annotations' : 'bookmarks'}, which a printer's file must not`)
  checkColour(facts, { store }, file)
}

/**
 * Text where the store needs none: in the barcode's box at the foot of the
 * back cover, or across a fold of the spine (or within its clearance).
 */
function checkCoverText(marks: PageMark[], sheet: { x0: number; y0: number; trim: { width: number; height: number }; spine: number; clearance: number }, file: VFile): void {
  const pt = (inches: number) => inches * 72
  const barcode = { left: sheet.x0 + pt(BLEED + sheet.trim.width - BARCODE.inset - BARCODE.width), right: sheet.x0 + pt(BLEED + sheet.trim.width - BARCODE.inset), bottom: sheet.y0 + pt(BLEED + BARCODE.inset), top: sheet.y0 + pt(BLEED + BARCODE.inset + BARCODE.height) }
  const fold = { left: sheet.x0 + pt(BLEED + sheet.trim.width), right: sheet.x0 + pt(BLEED + sheet.trim.width + sheet.spine) }
  const texts = marks.filter((mark) => mark.kind === 'text')
  const quote = (mark: PageMark) => `“${(mark.text ?? '').trim().slice(0, 30)}”`
  // A glyph's box may touch a neighbour's by a hair: a quarter point is not an overlap.
  const inBox = texts.find((mark) => mark.box[2] > barcode.left + 0.25 && mark.box[0] < barcode.right - 0.25 && mark.box[3] > barcode.bottom + 0.25 && mark.box[1] < barcode.top - 0.25)
  if (inBox) reportPage(file, 'print-cover-text', 1, `text (${quote(inBox)}) in the ${BARCODE.width} × ${BARCODE.height} in box the store keeps for the barcode: shorten \`back-cover:\` or \`author-bio:\` in book.yaml`)
  const inner = { left: fold.left + pt(sheet.clearance), right: fold.right - pt(sheet.clearance) }
  const across = texts.find((mark) => mark.box[2] > fold.left - 0.25 && mark.box[0] < fold.right + 0.25 && (mark.box[0] < inner.left - 0.25 || mark.box[2] > inner.right + 0.25))
  if (across) reportPage(file, 'print-cover-text', 1, `text (${quote(across)}) across a fold of the spine or within ${sheet.clearance} in of one, where the binding may put it on the wrong side: shorten the title, or the back cover's text`)
}
