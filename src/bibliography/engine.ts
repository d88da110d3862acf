/**
 * A thin adapter over citeproc-js: an engine is fed a batch of citations
 * in reading order, decides first, subsequent and "Ibid." forms and
 * disambiguates, and is asked for names and the bibliography. A build makes
 * one for names and the bibliography, and one more per thread that formats
 * batches. citeproc-js is used nowhere else (but in cluster-formatter.ts,
 * which this calls).
 *
 * citeproc's own batch (`rebuildProcessorState`) registers its works afresh
 * each time (most of what a chapter costs) and re-reads every earlier
 * citation for each new one. When disambiguation cannot change anything, a
 * batch is formatted cluster by cluster instead (cluster-formatter.ts).
 */
import type { CitationItem as CiteprocItem, XmlJson } from 'citeproc'
import { citeproc } from './citeproc.ts'
import { createClusterFormatter } from './cluster-formatter.ts'
import type { CslStyle } from './styles.ts'
import type { CslItem, Reference } from './types.ts'

/** One cited work as the resolver hands it over. */
export interface CiteItem {
  key: string
  prefix?: string
  suffix?: string
  locator?: string
  label?: string
  suppressAuthor?: boolean
}

export interface CiteprocOptions {
  style: CslStyle
  locale: XmlJson
  language: string
  references: ReadonlyMap<string, Pick<Reference, 'item'>>
  /** In-text styles: the id each cite links to (its bibliography entry). Notes are not linked. */
  linkTarget?: (key: string) => string
}

/** One citation cluster in reading order; noteIndex 0 means in the running text. */
export interface CiteCluster {
  id: string
  items: CiteItem[]
  noteIndex: number
}

/** How a batch is formatted: `auto` picks clusters one by one when that gives citeproc's text, `batch` always uses citeproc's batch. */
export type FormatMethod = 'auto' | 'batch'

export interface Formatted {
  /** Each cluster's HTML by id. */
  html: Map<string, string>
  /** `clusters`: each alone, with Quire's positions; `batch`: citeproc's own batch. */
  method: 'clusters' | 'batch'
  /** Why the batch was used, when it was. */
  reason?: string
  /** A batch for citeproc's own batch left unformatted (`html` empty), as `deferBatches` asked. */
  deferred?: boolean
}

export interface FormatOptions {
  /** (default: `auto`) */
  method?: FormatMethod
  /** Leave what needs citeproc's own batch unformatted, for the caller to format elsewhere (default: false). */
  deferBatches?: boolean
}

export interface Citeproc {
  /**
   * Format batches of citations, each in reading order and from a fresh
   * state: first citations are full, later ones short or "Ibid." as the
   * style says. A batch is formatted cluster by cluster when none of its
   * works is ambiguous, else (or with `method: 'batch'`) in citeproc's own
   * batch (default method: `auto`). One result per batch.
   */
  format(batches: CiteCluster[][], options?: FormatOptions): Formatted[]
  /** The author names alone, for `@key says …`. */
  authorOnly(item: CiteItem): string
  /** Bibliography entries for `keys`, in the style's order, and whether the style hangs their indents. */
  bibliography(keys: string[]): { entries: { key: string; html: string }[]; hangingIndent: boolean }
}

export function createCiteproc(options: CiteprocOptions): Citeproc {
  const { style, references, linkTarget } = options
  // citeproc passes an item's `system_id` (Zotero's field) to wrapCitationEntry; it reads nothing else of it.
  const items = new Map<string, CslItem>()
  const sys = {
    retrieveLocale: () => options.locale,
    retrieveItem: (id: string) => {
      const known = items.get(id)
      if (known) return known
      const item = references.get(id)?.item
      if (item) items.set(id, { ...item, system_id: id })
      return items.get(id)
    },
    ...(linkTarget
      ? {
          // Each cite of an in-text cluster links to its entry; citeproc then leaves the
          // cluster's own affixes ("(" and ")") to us. A cite holding a URL is not wrapped:
          // links do not nest.
          wrapCitationEntry: (html: string, key: string) => (html.includes('<a ') ? html : `<a class="citation-link" href="#${linkTarget(key)}">${html}</a>`),
        }
      : {}),
  }
  // forceLang: the book's language wins over a style's default-locale, so a German book in APA says "S.".
  const engine = new (citeproc().Engine)(sys, style.style, options.language, true)
  engine.opt.development_extensions.wrap_url_and_doi = true
  if (linkTarget) engine.opt.development_extensions.apply_citation_wrapper = true
  // CSL affixes are text, as citeproc treats every other one: markup in them prints as written, never as HTML.
  const affix = (html: string) => (linkTarget ? `${escapeHtml(style.affixes.prefix)}${html}${escapeHtml(style.affixes.suffix)}` : html)

  const batch = (clusters: CiteCluster[]): Map<string, string> => {
    // One batch: citeproc registers the items once instead of once per citation
    // (appendCitationCluster is quadratic in practice).
    // rebuildProcessorState keeps what it knew of items cited again (their disambiguation):
    // emptying the registry first makes each batch's text depend on the batch alone.
    engine.updateItems([])
    const results = engine.rebuildProcessorState(
      clusters.map(({ id, items, noteIndex }) => ({ citationID: id, citationItems: items.map(toCiteproc), properties: { noteIndex } })),
      'html',
    )
    return new Map(results.map(([id, , html]) => [id, affix(html)]))
  }
  const fast = createClusterFormatter(engine, toCiteproc)
  // After a batch of the clusters citeproc sorts in groups, the registry holds those works alone: the bibliography needs them all.
  let restore: (() => void) | undefined

  return {
    format(batches, { method = 'auto', deferBatches = false } = {}) {
      const plans = method === 'auto' ? fast(batches) : batches.map(() => ({ reason: 'asked for' }))
      // Every cluster formatted alone first: citeproc's batches empty the registry they read.
      const results: Formatted[] = plans.map((plan) => ('html' in plan ? { html: new Map([...plan.html].map(([id, text]) => [id, affix(text)])), method: 'clusters' } : { html: new Map(), method: 'batch', reason: plan.reason }))
      restore = undefined
      plans.forEach((plan, index) => {
        const result = results[index]!
        if (!('html' in plan)) {
          if (deferBatches) {
            result.deferred = true
            return
          }
          result.html = batch(batches[index]!)
          restore = undefined
        } else if (plan.rest.length > 0) {
          // Grouped sorts (in-text styles that collapse) are citeproc's alone: those few clusters go to a batch of their own.
          for (const [id, text] of batch(plan.rest)) result.html.set(id, text)
          restore = plan.restore
        }
      })
      return results
    },
    authorOnly(item) {
      return engine.makeCitationCluster([{ ...toCiteproc(item), 'author-only': true }])
    },
    bibliography(keys) {
      restore?.()
      restore = undefined
      engine.updateItems(keys)
      const result = engine.makeBibliography()
      if (!result) return { entries: [], hangingIndent: false }
      const [params, entries] = result
      return { entries: entries.map((html, index) => ({ key: params.entry_ids[index]![0]!, html })), hangingIndent: Boolean(params.hangingindent) }
    },
  }
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function toCiteproc(item: CiteItem): CiteprocItem {
  return {
    id: item.key,
    ...(item.prefix ? { prefix: item.prefix } : {}),
    ...(item.suffix ? { suffix: item.suffix } : {}),
    ...(item.locator ? { locator: item.locator, label: item.label ?? 'page' } : {}),
    ...(item.suppressAuthor ? { 'suppress-author': true } : {}),
  }
}
