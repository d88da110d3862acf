/** The renderers, keyed by format. The PDF registers here next. */
import { epubRenderer } from './epub/index.ts'
import { htmlRenderer } from './html.ts'
import type { Renderer } from './types.ts'

export const renderers: Record<string, Renderer> = {
  html: htmlRenderer,
  epub: epubRenderer,
}

/** Formats in the order they are built. */
export const formats = Object.keys(renderers)
