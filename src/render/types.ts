/** The one interface every renderer implements, and what it hands the writer. */
import type { Book } from '../model/types.ts'

/** One file of an edition: text or bytes, or a file to copy (fonts, images). */
export type OutputFile =
  | { path: string; content: string | Uint8Array }
  | { path: string; copyFrom: string }

/**
 * What a renderer produces. `dir` editions (the web edition) replace a whole
 * folder of the output directory; `file` editions (EPUB, PDF) one file.
 */
export type Artifact = { kind: 'dir'; path: string; files: OutputFile[] } | { kind: 'file'; path: string; content: Uint8Array }

export interface RenderContext {
  signal?: AbortSignal
  /** Progress within the renderer (a page, a pass). */
  onProgress?: (step: string) => void
}

export interface Renderer {
  format: string
  render(book: Book, context: RenderContext): Promise<Artifact>
}
