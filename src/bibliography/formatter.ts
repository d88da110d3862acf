/**
 * Citeproc's work for one build, done as little and as widely as possible.
 * A batch of citations (a chapter's, for note styles, which start afresh in
 * each chapter; the whole book's, for author-date styles, which
 * disambiguate across it) is formatted from a fresh engine state, so its
 * text depends only on the batch, the cited references and the style: that
 * is its cache key. Most batches are formatted cluster by cluster (see
 * engine.ts), here: worker threads would each register every cited work
 * again, which costs more than the share of the work they take. A note
 * style's batches that need citeproc's own batch go to the worker pool when
 * there are enough of them; an author-date style's one batch is formatted
 * here.
 */
import { createHash } from 'node:crypto'
import type { XmlJson } from 'citeproc'
import { cacheKey, openCache, type CacheStore } from '../cache/store.ts'
import { createCiteproc, type CiteCluster, type CiteItem, type Citeproc, type FormatMethod } from './engine.ts'
import type { CslStyle } from './styles.ts'
import type { CslItem, Reference } from './types.ts'

export interface FormatterOptions {
  style: CslStyle
  locale: XmlJson
  language: string
  references: Map<string, Reference>
  /** In-text styles: the id each cite links to. */
  linkTarget?: (key: string) => string
  cache?: CacheStore
  /** Worker threads, if the work is large enough to pay for them (or they were asked for). */
  pool?: (large: boolean) => CiteThreads | undefined
  /** `batch` formats every batch with citeproc's own batch, as before clusters were formatted one by one (default: `auto`). */
  method?: FormatMethod
}

/** What a citeproc engine needs in another thread; the same for every chapter of a build. */
export interface CiteSetup {
  style: CslStyle
  locale: XmlJson
  language: string
  items: [key: string, item: CslItem][]
}

/** What the formatter asks of the worker pool (src/parallel/, which comes later in the data flow and runs this stage's own code). */
export interface CiteThreads {
  /** Sent to every thread ahead of the `cite` tasks that need it. */
  broadcast(task: { kind: 'cite-setup'; setup: CiteSetup }): void
  /** One batch for citeproc's own batch. */
  run(task: { kind: 'cite'; clusters: CiteCluster[] }): Promise<[id: string, html: string][]>
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

/** Fewer citations for citeproc's own batch than this are formatted in this thread: about a second of citeproc, what starting a worker costs. */
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
  const method = options.method ?? 'auto'
  // The method is part of the setup: its texts are meant to be the same, but a difference must not outlive a switch.
  const setup = createHash('sha256').update(JSON.stringify([style.id, style.class, style.style, options.locale, options.language, style.affixes, method])).digest('hex')
  const itemsOf = (keys: Iterable<string>) => JSON.stringify([...new Set(keys)].sort().map((key) => [key, references.get(key)?.item, linkTarget?.(key)]))
  // Author-date: the key of the book's batch, and whether `main` has formatted it.
  let bookBatch: { key: string; batch: CiteCluster[]; formatted: boolean } | undefined

  return {
    async format(batches) {
      const keys = batches.map((batch) => cacheKey('cite', setup, JSON.stringify(batch), itemsOf(batch.flatMap((cluster) => cluster.items.map((item) => item.key)))))
      const found = await Promise.all(keys.map((key) => cache.get<[string, string][]>('cite', key)))
      const misses = batches.flatMap((batch, index) => (found[index] ? [] : [index]))
      if (style.class === 'in-text') bookBatch = batches.length === 1 ? { key: keys[0]!, batch: batches[0]!, formatted: false } : undefined
      let formatted: [string, string][][]
      if (style.class === 'note') {
        // Clusters here; what needs citeproc's own batch (ambiguous works; all of it with `method: 'batch'`) on the pool if there is much of it.
        const engine = (batchEngine ??= createCiteproc(engineOptions))
        const results = engine.format(misses.map((index) => batches[index]!), { method, deferBatches: true })
        formatted = results.map(({ html }) => [...html])
        const deferred = misses.flatMap((index, at) => (results[at]!.deferred ? [at] : []))
        const size = deferred.reduce((sum, at) => sum + batches[misses[at]!]!.length, 0)
        const pool = deferred.length > 1 ? options.pool?.(size >= PARALLEL_MIN_CITATIONS) : undefined
        if (pool) pool.broadcast({ kind: 'cite-setup', setup: { style, locale: options.locale, language: options.language, items: [...references].map(([key, reference]) => [key, reference.item]) } })
        await Promise.all(
          deferred.map(async (at) => {
            const batch = batches[misses[at]!]!
            formatted[at] = pool ? await pool.run({ kind: 'cite', clusters: batch }) : [...engine.format([batch], { method: 'batch' })[0]!.html]
          }),
        )
      } else {
        formatted = main().format(misses.map((index) => batches[index]!), { method }).map(({ html }) => [...html])
        if (bookBatch && misses.length > 0) bookBatch.formatted = true
      }
      await Promise.all(
        misses.map(async (index, at) => {
          found[index] = formatted[at]!
          await cache.set('cite', keys[index]!, formatted[at]!)
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
      if (bookBatch && !bookBatch.formatted) main().format([bookBatch.batch], { method })
      const result = main().bibliography(keys)
      await cache.set('bibliography', key, result)
      await cache.prune('bibliography')
      return result
    },
  }
}

