/** The renderers, keyed by format. Later editions (EPUB, PDF) register here. */
import { htmlRenderer } from './html.ts'
import type { Renderer } from './types.ts'

export const renderers: Record<string, Renderer> = {
  html: htmlRenderer,
}

/** Formats in the order they are built. */
export const formats = Object.keys(renderers)
