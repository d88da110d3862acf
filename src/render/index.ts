/** The renderers, keyed by format. */
import { epubRenderer } from './epub/index.ts'
import type { Format } from './formats.ts'
import { htmlRenderer } from './html.ts'
import { pdfRenderer } from './pdf/index.ts'
import type { Renderer } from './types.ts'

export const renderers: Record<Format, Renderer> = {
  html: htmlRenderer,
  epub: epubRenderer,
  pdf: pdfRenderer,
}
