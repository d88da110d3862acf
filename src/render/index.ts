/**
 * The renderers, keyed by format, each loaded when a build first asks for
 * it: the PDF's (pdf-lib, the print document) takes a quarter of a second
 * to load, which an HTML and EPUB rebuild should not pay.
 */
import type { Format } from './formats.ts'
import type { Renderer } from './types.ts'

const loaders: Record<Format, () => Promise<Renderer>> = {
  html: async () => (await import('./html.ts')).htmlRenderer,
  epub: async () => (await import('./epub/index.ts')).epubRenderer,
  pdf: async () => (await import('./pdf/index.ts')).pdfRenderer,
}

/** The renderers of `formats`, loaded. */
export async function loadRenderers(formats: Format[]): Promise<Map<Format, Renderer>> {
  return new Map(await Promise.all(formats.map(async (format) => [format, await loaders[format]()] as const)))
}
