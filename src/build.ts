/**
 * The build, as the data flows: load the manuscript, parse it into the book
 * model, convert it to HTML trees, then render and write each edition.
 * `check` runs the same stages up to the model and reports what they found.
 */
import path from 'node:path'
import type { VFile } from 'vfile'
import { loadCitationSetup, referenceIds, resolveCitations, type CitationSetup } from './bibliography/index.ts'
import { checkMarkerSequence } from './checks/citation-marker-sequence.ts'
import { applyRuleSettings, countErrors } from './diagnostics/rules.ts'
import { checkChapterNumbers } from './checks/chapter-number-duplicate.ts'
import { applyIgnoreComments } from './checks/ignore-comments.ts'
import { checkLinkTargets } from './checks/link-target-unknown.ts'
import { checkIndexTerms } from './checks/index-term-variant.ts'
import { placeIndex } from './render/book-index.ts'
import { createBrowserSession } from './browser/session.ts'
import { loadManuscript } from './manuscript/load.ts'
import { checkFonts } from './fonts/families.ts'
import { parseBook } from './parse/parse-book.ts'
import { toHast } from './parse/to-hast.ts'
import type { Book, MarkdownBook } from './model/types.ts'
import type { ResolvedConfig } from './config/schema.ts'
import { formats as knownFormats, isFormat, type Format } from './render/formats.ts'
import type { RenderContext } from './render/types.ts'
import type { PrintedPage } from './render/pdf/page-starts.ts'
import { lockFolder } from './write/lock.ts'
import { openStaging, type Staging } from './write/publish.ts'
import { assertSafeFolder } from './write/safe-folder.ts'
import { openCache } from './cache/store.ts'
import { createPool, poolSize, type WorkerPool } from './parallel/pool.ts'

export type Stage = 'load' | 'parse' | 'cite' | 'html' | 'render' | 'write'

export interface ProgressEvent {
  stage: Stage
  /** What is being worked on: a chapter's file, a format. */
  detail?: string
  /** Stage finished, with its duration. */
  ms?: number
}

export interface BuildOptions {
  /** Manuscript folder (default: chapters). */
  manuscript?: string
  /** Output folder (default: build). */
  out?: string
  /** Formats to build (default: all that exist). */
  formats?: string[]
  /** Build even when the manuscript has errors. */
  draft?: boolean
  cwd?: string
  /**
   * Where parsed chapters and formatted citations are kept between builds
   * (default for \`build\`: \`<out>/.cache\`); false keeps nothing.
   */
  cacheDir?: string | false
  /**
   * Threads for parsing and citations, this one included (default: one per
   * core, used when there is enough to do); 1 does all the work in this thread.
   */
  jobs?: number
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
}

export interface BuildResult {
  book: Book
  /** Every file's vfile, with its diagnostics: book.yaml first, then the bibliography files, then the chapters. */
  files: VFile[]
  /** Paths written, by format. Empty when errors stopped the build. */
  written: Record<string, string>
  errors: number
  /** Of the errors, those the preflight found in the print files just written (a `print: preset`). */
  preflightErrors: number
}

/** Load and parse a manuscript into the book model, with all diagnostics. */
export async function analyze(
  options: Pick<BuildOptions, 'manuscript' | 'cwd' | 'onProgress' | 'cacheDir' | 'jobs'> & {
    onConfig?: (config: ResolvedConfig) => void
    /** Format citations, notes and the bibliography (default: true). `check` only needs them matched. */
    formatCitations?: boolean
  } = {},
): Promise<Omit<BuildResult, 'written' | 'preflightErrors'>> {
  const cwd = options.cwd ?? process.cwd()
  const progress = options.onProgress ?? (() => {})
  let started = performance.now()
  const timed = (stage: Stage) => {
    const now = performance.now()
    progress({ stage, ms: now - started })
    started = now
  }
  progress({ stage: 'load', detail: options.manuscript ?? 'chapters' })
  const manuscript = await loadManuscript(options.manuscript ?? 'chapters', cwd)
  checkFonts(manuscript.config, manuscript.configFile)
  options.onConfig?.(manuscript.config)
  timed('load')
  // The cache writes and prunes there: never the root, the home folder or the manuscript's own.
  if (options.cacheDir) await assertSafeFolder(path.resolve(cwd, options.cacheDir), manuscript.config.root, { role: 'cache folder', option: '--cache-dir', suggestion: path.join('build', '.cache') })
  const cache = openCache(options.cacheDir ? path.resolve(cwd, options.cacheDir) : undefined)
  const jobs = options.jobs ?? poolSize(manuscript.chapters.length)
  let workers: WorkerPool | undefined
  // Workers when the work pays for starting them, or whenever --jobs asks for them.
  const pool = (large: boolean) => (jobs > 1 && (large || options.jobs !== undefined) ? (workers ??= createPool(jobs)) : undefined)
  const files = new Map(manuscript.chapters.map(({ entry, file }) => [entry.source, file]))
  let parsed: MarkdownBook
  let citations: CitationSetup
  try {
    parsed = await parseBook(manuscript, { cache, pool, onChapter: ({ source }) => progress({ stage: 'parse', detail: source }) })
    timed('parse')
    for (const chapter of parsed.chapters) checkMarkerSequence(chapter, files.get(chapter.source)!)
    progress({ stage: 'cite' })
    const cites = parsed.chapters.some((chapter) => chapter.citations.length > 0)
    citations = await loadCitationSetup(manuscript.config, manuscript.configFile, cites, cwd, cache)
    await resolveCitations(parsed, files, { ...citations.options, format: options.formatCitations !== false, cache, pool })
    timed('cite')
  } finally {
    // The workers' part is over: what follows needs the whole book.
    await workers?.close()
  }
  checkChapterNumbers(parsed, files)
  const book = await toHast(parsed, files, { cache })
  checkIndexTerms(book, files)
  placeIndex(book)
  // Reference ids are targets even when the bibliography was not formatted.
  checkLinkTargets(book, files, referenceIds([...citations.options.references.keys()]).values())
  timed('html')
  const all = [manuscript.configFile, ...citations.files, ...manuscript.chapters.map(({ file }) => file)]
  applyIgnoreComments(all)
  applyRuleSettings(all, manuscript.config.checks)
  return { book, files: all, errors: countErrors(all) }
}

/** Build the editions of a manuscript. Errors in the manuscript stop it unless `draft`. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const wanted = options.formats ?? [...knownFormats]
  for (const format of wanted) {
    if (!isFormat(format)) throw new Error(`Unknown format "${format}": choose from ${knownFormats.join(', ')}`)
  }
  // Loaded here, not at the top: `check` never renders, and the renderers take a third of a second to load.
  const renderers = await (await import('./render/index.ts')).loadRenderers(wanted as Format[])
  const out = path.resolve(cwd, options.out ?? 'build')
  await assertSafeFolder(out, path.resolve(cwd, options.manuscript ?? 'chapters'), { role: 'output folder', option: '--out', suggestion: 'build' })
  const progress = options.onProgress ?? (() => {})
  // One browser for the whole build, launched only if an edition needs it.
  const browser = createBrowserSession((found) => progress({ stage: 'render', detail: `browser: ${found.executablePath} (${found.source})` }))
  const contexts = new Map<string, RenderContext>(
    wanted.map((format) => [
      format,
      {
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (step: string) => progress({ stage: 'render', detail: `${format}: ${step}` }),
        browser,
        cacheDir: path.join(out, '.cache'),
        reuse: options.cacheDir !== false,
      },
    ]),
  )
  const pending: Promise<unknown>[] = []
  // One build at a time in `out`, from the first cache entry to the last rename.
  const unlock = await lockFolder(out)
  let staging: Staging | undefined
  try {
    // What OUT holds before this build writes its first cache entry there.
    staging = await openStaging(out, knownFormats)
    const analyzed = await analyze({
      cacheDir: path.join(out, '.cache'),
      ...options,
      // Start what needs only book.yaml (a generated cover) while the chapters are parsed.
      onConfig: (config) => {
        for (const [format, context] of contexts) {
          const prepared = renderers.get(format as Format)!.prepare?.(config, context)
          if (!prepared) continue
          context.prepared = prepared
          // Its failure is reported by `render`, which awaits it; a build stopped by errors never does.
          pending.push(prepared.catch(() => undefined))
        }
      },
    })
    const written: Record<string, string> = {}
    if (analyzed.errors > 0 && !options.draft) return { ...analyzed, written, preflightErrors: 0 }
    const preflighted: VFile[] = []
    // Every edition is staged first and published together at the end: a build stopped while
    // rendering leaves the last good set as it was, never a new EPUB beside an old web edition.
    const staged: Record<string, string> = {}
    // The web edition last, so it can offer (and copy) the EPUB and the PDF just staged.
    const order = [...wanted.filter((format) => format !== 'html'), ...wanted.filter((format) => format === 'html')]
    // With a print ISBN, the EPUB marks where each printed page begins: the PDF is printed first, and tells it.
    if (analyzed.book.config.printIsbn && wanted.includes('epub')) {
      const epubContext = contexts.get('epub')!
      const onPrintedPages = (pages: PrintedPage[]) => void (epubContext.printedPages = pages)
      if (wanted.includes('pdf')) {
        order.splice(order.indexOf('pdf'), 1)
        order.splice(order.indexOf('epub'), 0, 'pdf')
        contexts.get('pdf')!.onPrintedPages = onPrintedPages
      } else {
        // Not asked for: printed for its page plan only, and not written.
        progress({ stage: 'render', detail: 'pdf (for the EPUB’s page list: print-isbn)' })
        const printer = (await (await import('./render/index.ts')).loadRenderers(['pdf'])).get('pdf')!
        const { prepared: _, printedPages: __, ...shared } = epubContext
        await printer.render(analyzed.book, { ...shared, onProgress: (step: string) => progress({ stage: 'render', detail: `pdf: ${step}` }), onPrintedPages })
      }
    }
    for (const format of order) {
      if (format === 'html') {
        contexts.get(format)!.downloads = (['epub', 'pdf'] as const).filter((other) => written[other]).map((other) => ({ format: other, name: path.basename(written[other]!), copyFrom: staged[other]! }))
      }
      options.signal?.throwIfAborted()
      const started = performance.now()
      progress({ stage: 'render', detail: format })
      const rendered = await renderers.get(format as Format)!.render(analyzed.book, contexts.get(format)!)
      const artifacts = Array.isArray(rendered) ? rendered : [rendered]
      const preset = analyzed.book.config.print.preset
      if (format === 'pdf' && preset) {
        // What the store would refuse, found in the files as they are about to be written.
        progress({ stage: 'render', detail: 'pdf: preflight' })
        const { preflight } = await import('./preflight/index.ts')
        const bytesOf = (name: string) => artifacts.flatMap((artifact) => (artifact.kind === 'file' && artifact.path === name ? [artifact.content] : []))[0]
        preflighted.push(...(await preflight(analyzed.book.config, preset, out, cwd, bytesOf)))
      }
      for (const [index, artifact] of artifacts.entries()) {
        // Further files of a format (the print-on-demand PDF) are listed as `pdf-2` …
        const key = index === 0 ? format : `${format}-${index + 1}`
        const placed = await staging.add(format, artifact)
        written[key] = placed.target
        staged[key] = placed.staged
        progress({ stage: 'write', detail: path.relative(cwd, written[key]!), ms: performance.now() - started })
      }
    }
    await staging.publish()
    // Reported in the usual order of formats.
    const ordered = Object.fromEntries(Object.entries(written).sort(([a], [b]) => knownFormats.indexOf(a.split('-')[0] as Format) - knownFormats.indexOf(b.split('-')[0] as Format)))
    const preflightErrors = countErrors(preflighted)
    return { ...analyzed, files: [...analyzed.files, ...preflighted], errors: analyzed.errors + preflightErrors, written: ordered, preflightErrors }
  } finally {
    try {
      await staging?.discard()
      await Promise.all(pending)
      await browser.close()
    } finally {
      await unlock()
    }
  }
}
