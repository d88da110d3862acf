/**
 * From loaded chapter files to the book model: run the Markdown processor on
 * each chapter, read the facts the plugins left in `file.data`, and turn the
 * trees into sanitized HTML trees for the renderers.
 */
import type { Root as MdastRoot } from 'mdast'
import type { Root as HastRoot } from 'hast'
import type { VFile } from 'vfile'
import { report } from '../checks/rules.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { titleFromSlug, type ChapterFile } from '../manuscript/chapter-files.ts'
import { withinLimits } from '../manuscript/limits.ts'
import type { LoadedManuscript } from '../manuscript/load.ts'
import { createHtmlTransformer, createParser } from '../unified/processor.ts'
import { chapterId } from './ids.ts'
import { collectCitations } from './citations.ts'
import type { Book, Chapter } from './types.ts'

export interface ParseOptions {
  /** Called after each chapter is parsed. */
  onChapter?: (chapter: { source: string; index: number; total: number }) => void
}

/** Parse every chapter and assemble the book. Chapters that cannot be parsed are left out (and reported). */
export async function parseBook(manuscript: LoadedManuscript, options: ParseOptions = {}): Promise<Book> {
  const parser = createParser(manuscript.config)
  const chapters: Chapter[] = []
  let index = 0
  for (const { file, entry, bytes } of manuscript.chapters) {
    index++
    if (!withinLimits(file, bytes)) continue
    let tree: MdastRoot
    try {
      tree = (await parser.run(parser.parse(file), file)) as MdastRoot
    } catch (error) {
      if (error instanceof RangeError) {
        report(file, 'nesting-too-deep', 'Chapter nested too deeply to parse (the parser ran out of stack): flatten nested quotes, lists or HTML', { line: 1, column: 1 })
        continue
      }
      throw new Error(`Failed to parse ${file.path}: ${(error as Error).message}`, { cause: error })
    }
    chapters.push(toChapter(tree, file, entry, manuscript.config))
    options.onChapter?.({ source: entry.source, index, total: manuscript.chapters.length })
  }
  return { config: manuscript.config, chapters }
}

function toChapter(tree: MdastRoot, file: VFile, entry: ChapterFile, config: ResolvedConfig): Chapter {
  const data = file.data
  const number = data.chapterNumber?.value
  const frontTitle = data.frontMatter?.title
  const headingTitle = data.titleHeading?.text
  const title = frontTitle ?? (headingTitle || titleFromSlug(entry.nameSlug, config.language))
  const titleSource = frontTitle ? 'front-matter' : headingTitle ? 'heading' : 'file-name'
  if (titleSource === 'file-name') {
    report(file, 'chapter-title-guessed', `Chapter has no title: using “${title}” from the file name. Add \`title:\` in front matter or a \`# Title\` line to choose it`, { line: 1, column: 1 })
  }
  return {
    id: chapterId(number, entry.nameSlug),
    ...(number === undefined ? {} : { number }),
    numberSource: data.chapterNumber?.source ?? 'none',
    title,
    titleSource,
    source: entry.source,
    slug: entry.slug,
    paragraphMode: data.paragraphMode ?? 'blank',
    meta: data.frontMatter?.meta ?? {},
    citationMap: data.frontMatter?.citations ?? {},
    sections: data.sections ?? [],
    citations: collectCitations(tree),
    notes: [],
    assets: [],
    mdast: tree,
    hast: { type: 'root', children: [] },
  }
}

/** Turn each chapter's mdast into its sanitized hast (and learn which images it uses). */
export async function toHast(book: Book, files: Map<string, VFile>): Promise<void> {
  const transformer = createHtmlTransformer(book.config)
  for (const chapter of book.chapters) {
    const file = files.get(chapter.source)!
    try {
      chapter.hast = (await transformer.run(chapter.mdast, file)) as HastRoot
    } catch (error) {
      if (!(error instanceof RangeError)) throw new Error(`Failed to convert ${file.path} to HTML: ${(error as Error).message}`, { cause: error })
      report(file, 'nesting-too-deep', 'Chapter nested too deeply to convert (emphasis, links or raw HTML elements inside each other thousands deep): flatten that passage', { line: 1, column: 1 })
      chapter.hast = { type: 'root', children: [] }
    }
    chapter.assets = file.data.assets ?? []
  }
}
