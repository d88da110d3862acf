/**
 * One chapter through the Markdown processor, as plain data: the tree, what
 * the plugins left in `file.data`, and their messages. Plain data can cross
 * to and from a worker thread and be stored in the cache; `applyParsed`
 * puts it back on the chapter's vfile as if the processor had run there.
 */
import type { Root as MdastRoot } from 'mdast'
import { VFile, type Data } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { report } from '../diagnostics/rules.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { createParser } from './processor.ts'
import { ChapterTooComplex } from '../manuscript/limits.ts'
import type { ChapterFileData } from '../manuscript/load.ts'

/** What the processor reads of a chapter: its text and what its file name says. */
export interface ChapterInput {
  path: string
  cwd: string
  value: string
  chapterFile: ChapterFileData
}

export interface ParsedChapter {
  /** Undefined when the chapter could not be parsed (reported). */
  tree: MdastRoot | undefined
  data: Data
  /** The messages' own fields (VFileMessage is a class, which structured clone flattens). */
  messages: Record<string, unknown>[]
}

export type Parser = ReturnType<typeof createParser>

/** The book-wide settings the processor depends on: part of every parse cache key. */
export function parserSettings(config: Pick<ResolvedConfig, 'paragraphs' | 'figures' | 'fonts' | 'root'>): ParserSettings {
  // The faces decide what `glyph-missing` reports; a book in the default faces keys its cache as before.
  const fonts = config.fonts.body !== undefined || config.fonts.mono !== undefined ? { fonts: { ...config.fonts }, root: config.root } : {}
  return { paragraphs: config.paragraphs, figures: config.figures, ...fonts }
}

/** What the processor is built from (plain data: worker threads build their own). */
export type ParserSettings = Pick<ResolvedConfig, 'paragraphs' | 'figures'> & Partial<Pick<ResolvedConfig, 'fonts' | 'root'>>

/** Parse and transform one chapter. Programmer errors are thrown; a too-deep chapter is reported. */
export async function parseChapter(parser: Parser, input: ChapterInput): Promise<ParsedChapter> {
  const file = new VFile({ path: input.path, cwd: input.cwd, value: input.value })
  file.data.chapterFile = input.chapterFile
  let tree: MdastRoot | undefined
  try {
    tree = (await parser.run(parser.parse(file), file)) as MdastRoot
  } catch (error) {
    if (error instanceof ChapterTooComplex) {
      report(file, 'chapter-too-complex', error.message, { line: error.line, column: 1 })
      return { tree: undefined, data: {}, messages: file.messages.map((message) => ({ ...message })) }
    }
    if (!(error instanceof RangeError)) throw new Error(`Failed to parse ${file.path}: ${(error as Error).message}`, { cause: error })
    report(file, 'nesting-too-deep', 'Chapter nested too deeply to parse (the parser ran out of stack): flatten nested quotes, lists or HTML', { line: 1, column: 1 })
  }
  const { chapterFile: _, ...data } = file.data
  return { tree, data, messages: file.messages.map((message) => ({ ...message })) }
}

/** Put a parsed chapter's data and messages on its vfile; returns its tree. */
export function applyParsed(file: VFile, parsed: ParsedChapter): MdastRoot | undefined {
  Object.assign(file.data, parsed.data)
  for (const fields of parsed.messages) {
    const message = Object.assign(new VFileMessage(String(fields.reason)), fields)
    // The path the chapter has now, whatever the working directory was when it was cached.
    message.file = file.path
    file.messages.push(message)
  }
  return parsed.tree
}
