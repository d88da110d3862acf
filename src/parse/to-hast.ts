/**
 * The HTML stage: each chapter's Markdown tree, citations resolved, becomes
 * a sanitized HTML tree, and the book the renderers read. A chapter's result
 * is stored in the cache under a digest of its tree, its file's place and
 * the manuscript folder, with the messages the stage reported and the state
 * of every file it looked at (images, linked files): it is reused while the
 * tree is the same and those files are unchanged, so an edit converts one
 * chapter, not the book.
 */
import { realpathSync, statSync } from 'node:fs'
import type { Root as HastRoot } from 'hast'
import type { VFile } from 'vfile'
import { VFileMessage } from 'vfile-message'
import { cacheKey, openCache, type CacheStore } from '../cache/store.ts'
import { report } from '../diagnostics/rules.ts'
import { anchorsAndLinks } from '../unified/anchors.ts'
import type { Book, Chapter, MarkdownBook } from '../model/types.ts'
import { createHtmlTransformer } from './processor.ts'

/** What the stage made of one chapter, as plain data. */
interface Converted {
  hast: HastRoot
  assets: string[]
  /** The messages the stage reported, as their own fields. */
  messages: Record<string, unknown>[]
  /** Each file looked at, with its state then (see `fileState`). */
  examined: [path: string, state: string][]
  /** Its ids and local link targets (see unified/anchors.ts). */
  anchors: string[]
  hrefs: string[]
}

export async function toHast(book: MarkdownBook, files: Map<string, VFile>, options: { cache?: CacheStore } = {}): Promise<Book> {
  const cache = options.cache ?? openCache(undefined)
  let transformer: ReturnType<typeof createHtmlTransformer> | undefined
  const chapters: Chapter[] = []
  const stored: Promise<void>[] = []
  for (const { mdast, ...facts } of book.chapters) {
    const file = files.get(facts.source)!
    const key = cacheKey('hast', book.config.root, file.cwd, file.path, JSON.stringify(mdast))
    let converted = await cache.get<Converted>('hast', key)
    if (converted && converted.examined.some(([path, state]) => fileState(path) !== state)) converted = undefined
    if (converted) {
      for (const fields of converted.messages) file.messages.push(Object.assign(new VFileMessage(String(fields.reason)), fields, { file: file.path }))
    } else {
      const before = file.messages.length
      let hast: HastRoot
      try {
        hast = (await (transformer ??= createHtmlTransformer(book.config)).run(mdast, file)) as HastRoot
      } catch (error) {
        if (!(error instanceof RangeError)) throw new Error(`Failed to convert ${file.path} to HTML: ${(error as Error).message}`, { cause: error })
        report(file, 'nesting-too-deep', 'Chapter nested too deeply to convert (emphasis, links or raw HTML elements inside each other thousands deep): flatten that passage', { line: 1, column: 1 })
        hast = { type: 'root', children: [] }
      }
      converted = {
        hast,
        assets: file.data.assets ?? [],
        messages: file.messages.slice(before).map((message) => ({ ...message })),
        examined: [...new Set(file.data.examined ?? [])].map((path) => [path, fileState(path)]),
        ...anchorsAndLinks(hast),
      }
      stored.push(cache.set('hast', key, converted))
    }
    // The same tree from the same inputs: the renderers key their pages by it.
    const digest = cacheKey('chapter', key, JSON.stringify(converted.examined))
    chapters.push({ ...facts, assets: converted.assets, hast: converted.hast, digest, anchors: converted.anchors, hrefs: converted.hrefs })
  }
  await Promise.all(stored)
  await cache.prune('hast')
  return { ...book, chapters }
}

/** Where a path leads and the size and time of what is there, or that nothing is. */
function fileState(path: string): string {
  try {
    const real = realpathSync(path)
    const stat = statSync(real)
    return `${real}\0${stat.isFile() ? 'file' : 'other'}\0${stat.size}\0${stat.mtimeMs}`
  } catch {
    return 'missing'
  }
}
