/**
 * Citeproc's work for one build, done as little and as widely as possible.
 * A batch of citations (a chapter's, for note styles, which start afresh in
 * each chapter; the whole book's, for author-date styles, which
 * disambiguate across it) is formatted from a fresh engine state, so its
 * text depends only on the batch, the cited references and the style: that
 * is its cache key. A note style's batches not in the cache are formatted
 * on the worker pool when there are enough of them; an author-date style's
 * one batch, here.
 */
import { createHash } from 'node:crypto'
import type { XmlJson } from 'citeproc'
import { cacheKey, openCache, type CacheStore } from '../cache/store.ts'
import type { WorkerPool } from '../parallel/pool.ts'
import { createCiteproc, type CiteCluster, type CiteItem, type Citeproc } from './engine.ts'
import type { CslStyle } from './styles.ts'
import type { Reference } from './types.ts'

export interface FormatterOptions {
  style: CslStyle
  locale: XmlJson
  language: string
  references: Map<string, Reference>
  /** In-text styles: the id each cite links to. */
  linkTarget?: (key: string) => string
  cache?: CacheStore
  /** Worker threads, if the work is large enough to pay for them (or they were asked for). */
  pool?: (large: boolean) => WorkerPool | undefined
}

export interface Bibliography {
  entries: { key: string; html: string }[]
  hangingIndent: boolean
}

export interface CitationFormatter {
  /** Format each batch from a fresh state, in reading order; the HTML of every cluster by id. */
  format(batches: CiteCluster[][]): Promise<Map<string, string>>
  /** The author names alone, for `@key says …`. */
  authorOnly(item: CiteItem): string
  /** The bibliography of `keys`, after `format` (an author-date style's entries carry its disambiguation). */
  bibliography(keys: string[]): Promise<Bibliography>
}

/** Fewer citations to format than this are formatted in this thread: about a second of citeproc, what starting a worker costs. */
const PARALLEL_MIN_CITATIONS = 600

export function createCitationFormatter(options: FormatterOptions): CitationFormatter {
  const { style, references, linkTarget } = options
  const cache = options.cache ?? openCache(undefined)
  const engineOptions = { style, locale: options.locale, language: options.language, references, ...(linkTarget ? { linkTarget } : {}) }
  // Names and the bibliography come from this engine. Note styles' batches are
  // formatted on another, so its state is the same whether they came from the cache or not.
  // Made on first use: a rebuild whose citations all come from the cache needs no citeproc.
  let mainEngine: Citeproc | undefined
  const main = () => (mainEngine ??= createCiteproc(engineOptions))
  let batchEngine: Citeproc | undefined
  const setup = createHash('sha256').update(JSON.stringify([style.id, style.class, style.style, options.locale, options.language, style.affixes])).digest('hex')
  const itemsOf = (keys: Iterable<string>) => JSON.stringify([...new Set(keys)].sort().map((key) => [key, references.get(key)?.item, linkTarget?.(key)]))
  // Author-date: the key of the book's batch, and whether `main` has formatted it.
  let bookBatch: { key: string; batch: CiteCluster[]; formatted: boolean } | undefined

  return {
    async format(batches) {
      const keys = batches.map((batch) => cacheKey('cite', setup, JSON.stringify(batch), itemsOf(batch.flatMap((cluster) => cluster.items.map((item) => item.key)))))
      const found = await Promise.all(keys.map((key) => cache.get<[string, string][]>('cite', key)))
      const misses = batches.flatMap((batch, index) => (found[index] ? [] : [index]))
      if (style.class === 'in-text') bookBatch = batches.length === 1 ? { key: keys[0]!, batch: batches[0]!, formatted: false } : undefined
      const missed = misses.reduce((sum, index) => sum + batches[index]!.length, 0)
      const pool = style.class === 'note' && misses.length > 1 ? options.pool?.(missed >= PARALLEL_MIN_CITATIONS) : undefined
      if (pool) pool.broadcast({ kind: 'cite-setup', setup: { style, locale: options.locale, language: options.language, items: [...references].map(([key, reference]) => [key, reference.item]) } })
      await Promise.all(
        misses.map(async (index) => {
          const batch = batches[index]!
          let formatted: [string, string][]
          if (pool) formatted = await pool.run({ kind: 'cite', clusters: batch })
          else if (style.class === 'note') formatted = [...(batchEngine ??= createCiteproc(engineOptions)).format(batch)]
          else {
            formatted = [...main().format(batch)]
            if (bookBatch) bookBatch.formatted = true
          }
          found[index] = formatted
          await cache.set('cite', keys[index]!, formatted)
        }),
      )
      await cache.prune('cite')
      return new Map(found.flatMap((formatted) => formatted!))
    },
    authorOnly(item) {
      return main().authorOnly(item)
    },
    async bibliography(keys) {
      const key = cacheKey('bibliography', setup, itemsOf(keys), JSON.stringify(keys), bookBatch?.key ?? '')
      const cached = await cache.get<Bibliography>('bibliography', key)
      if (cached) return cached
      // An author-date bibliography reflects the citations' disambiguation ("2001a").
      if (bookBatch && !bookBatch.formatted) main().format(bookBatch.batch)
      const result = main().bibliography(keys)
      await cache.set('bibliography', key, result)
      await cache.prune('bibliography')
      return result
    },
  }
}
