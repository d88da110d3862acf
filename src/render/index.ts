/** The renderers, keyed by format. */
import { epubRenderer } from './epub/index.ts'
import { htmlRenderer } from './html.ts'
import { pdfRenderer } from './pdf/index.ts'
import type { Renderer } from './types.ts'

export const renderers: Record<string, Renderer> = {
  html: htmlRenderer,
  epub: epubRenderer,
  pdf: pdfRenderer,
}

/** Formats in the order they are built. */
export const formats = Object.keys(renderers)
