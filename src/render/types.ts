/** The one interface every renderer implements, and what it hands the writer. */
import type { BrowserSession } from '../browser/session.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import type { Book } from '../model/types.ts'
import type { PrintedPage } from './pdf/page-starts.ts'

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
  /** The build's one browser, launched on first use (the PDF, a generated cover). */
  browser?: BrowserSession
  /** Folder for what a later build may reuse (`build/.cache`). */
  cacheDir?: string
  /** Start from what earlier builds left there: the PDF's part lengths and printed jobs, a generated cover (default: true; `--no-cache` says false). */
  reuse?: boolean
  /**
   * The web edition: the other editions of this build, linked from its
   * contents page and copied beside its pages (or served there by `preview`).
   */
  downloads?: Download[]
  /** What this renderer's `prepare` produced. */
  prepared?: Promise<unknown>
  /** The PDF: told where each printed page of the body begins, when book.yaml gives a `print-isbn`. */
  onPrintedPages?: (pages: PrintedPage[]) => void
  /** The EPUB: where each printed page begins, for its page list (from this build's PDF). */
  printedPages?: PrintedPage[]
}

/** An edition offered for download from the web edition. */
export interface Download {
  format: 'epub' | 'pdf'
  /** File name beside the web edition's pages (`long-century.epub`). */
  name: string
  /** The file to copy there; absent when a server provides it (`quire preview`). */
  copyFrom?: string
}

export interface Renderer {
  format: string
  /**
   * Work that needs only book.yaml (a generated cover), started by the build
   * as soon as the configuration is loaded so it runs while the chapters
   * are parsed. Its result reaches `render` as `context.prepared`.
   */
  prepare?(config: ResolvedConfig, context: RenderContext): Promise<unknown>
  /** One artifact, or several (the PDF's screen and print variants). */
  render(book: Book, context: RenderContext): Promise<Artifact | Artifact[]>
}
