/**
 * From loaded chapter files to the book model: run the Markdown processor on
 * each chapter and read the facts the plugins left in `file.data` (a
 * `MarkdownBook`). After citations, to-hast.ts makes the `Book`.
 */
import type { Root as MdastRoot } from 'mdast'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { titleFromSlug, type ChapterFile } from '../manuscript/chapter-files.ts'
import { withinLimits } from '../manuscript/limits.ts'
import type { LoadedManuscript } from '../manuscript/load.ts'
import { createParser } from './processor.ts'
import { cacheKey, openCache, type CacheStore } from '../cache/store.ts'
import { applyParsed, parseChapter, parserSettings, type ChapterInput, type ParsedChapter, type Parser } from './parse-chapter.ts'
import { chapterId } from '../model/ids.ts'
import { collectCitations } from './citations.ts'
import { placeChapters } from './matter.ts'
import { placeParts } from './parts.ts'
import type { MarkdownBook, MarkdownChapter } from '../model/types.ts'

export interface ParseOptions {
  /** Called after each chapter is parsed or read from the cache. */
  onChapter?: (chapter: { source: string; index: number; total: number; cached: boolean }) => void
  /** Where parsed chapters are kept between builds (default: nowhere). */
  cache?: CacheStore
  /** Worker threads for the chapters not in the cache, if the work is large enough to pay for them (or they were asked for). */
  pool?: (large: boolean) => ParseThreads | undefined
}

/** What parsing asks of the worker pool (src/parallel/, which comes later in the data flow and runs this stage's own code). */
export interface ParseThreads {
  run(task: { kind: 'parse'; settings: ReturnType<typeof parserSettings>; input: ChapterInput }): Promise<ParsedChapter>
}

/**
 * Less text to parse than this is parsed in this thread: starting a worker
 * costs about a second, which is what parsing a megabyte takes.
 */
const PARALLEL_MIN_BYTES = 1_000_000

/**
 * Parse every chapter and assemble the book. A chapter whose bytes, file
 * name and settings are unchanged comes from the cache; the others are
 * parsed in parallel. Chapters that cannot be parsed are left out (and reported).
 */
export async function parseBook(manuscript: LoadedManuscript, options: ParseOptions = {}): Promise<MarkdownBook> {
  const settings = parserSettings(manuscript.config)
  const cache = options.cache ?? openCache(undefined)
  const total = manuscript.chapters.length
  const inputs = manuscript.chapters.map(({ file, entry, bytes, unread }) => {
    if (unread || !withinLimits(file, bytes)) return undefined
    const input: ChapterInput = { path: file.path, cwd: file.cwd, value: String(file.value), chapterFile: file.data.chapterFile! }
    return { input, key: cacheKey('parse', JSON.stringify(settings), JSON.stringify(input.chapterFile), entry.source, input.value) }
  })
  const found = await Promise.all(inputs.map((job) => (job ? cache.get<ParsedChapter>('parse', job.key) : undefined)))
  const misses = inputs.flatMap((job, index) => (job && !found[index] ? [index] : []))
  const missedBytes = misses.reduce((sum, index) => sum + manuscript.chapters[index]!.bytes, 0)
  const pool = misses.length > 1 ? options.pool?.(missedBytes >= PARALLEL_MIN_BYTES) : undefined
  let parser: Parser | undefined
  const stored: Promise<void>[] = []
  let done = 0
  const parsed = await Promise.all(
    inputs.map(async (job, index) => {
      if (!job) return undefined
      let result = found[index]
      const cached = result !== undefined
      if (!result) {
        result = pool ? await pool.run({ kind: 'parse', settings, input: job.input }) : await parseChapter((parser ??= createParser(settings)), job.input)
        // Stored now, before later stages change the tree. A chapter too deep to parse is not
        // stored: whether it is depends on the stack of the thread that tried.
        if (result.tree) stored.push(cache.set('parse', job.key, result))
      }
      options.onChapter?.({ source: manuscript.chapters[index]!.entry.source, index: ++done, total, cached })
      return result
    }),
  )
  await Promise.all(stored)
  await cache.prune('parse')
  const chapters: MarkdownChapter[] = []
  for (const [index, { file, entry }] of manuscript.chapters.entries()) {
    const result = parsed[index]
    const tree = result && applyParsed(file, result)
    if (tree) chapters.push(toChapter(tree, file, entry, manuscript.config))
  }
  const fileOf = new Map(manuscript.chapters.map(({ file, entry }) => [entry.source, file]))
  placeChapters(chapters, (chapter) => fileOf.get(chapter.source)!)
  const parts = placeParts(chapters, manuscript.config, manuscript.configFile, (chapter) => fileOf.get(chapter.source)!)
  return { config: manuscript.config, parts, chapters }
}

function toChapter(tree: MdastRoot, file: VFile, entry: ChapterFile, config: ResolvedConfig): MarkdownChapter {
  const data = file.data
  const number = data.chapterNumber?.value
  const frontTitle = data.frontMatter?.title
  const headingTitle = data.titleHeading?.text
  const title = frontTitle ?? (headingTitle || titleFromSlug(entry.nameSlug, config.language))
  const titleSource = frontTitle ? 'front-matter' : headingTitle ? 'heading' : 'file-name'
  // A front matter block that could not be read is reported; the title it may hold is not "missing".
  if (titleSource === 'file-name' && !data.frontMatter?.unread) {
    report(file, 'chapter-title-guessed', `Chapter has no title: using “${title}” from the file name. Add \`title:\` in front matter or a \`# Title\` line to choose it`, { line: 1, column: 1 })
  }
  return {
    id: chapterId(number, entry.nameSlug),
    ...(number === undefined ? {} : { number }),
    numberSource: data.chapterNumber?.source ?? 'none',
    ...(data.frontMatter?.role ? { role: data.frontMatter.role } : {}),
    // Settled for the whole book by placeChapters.
    matter: 'body',
    title,
    titleSource,
    source: entry.source,
    slug: entry.slug,
    paragraphMode: data.paragraphMode ?? 'blank',
    meta: data.frontMatter?.meta ?? {},
    citationMap: data.frontMatter?.citations ?? {},
    sections: data.sections ?? [],
    figures: data.figures ?? [],
    indexMarks: data.indexMarks ?? [],
    citations: collectCitations(tree),
    notes: [],
    mdast: tree,
  }
}
