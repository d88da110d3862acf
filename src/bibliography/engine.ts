/**
 * A thin adapter over citeproc-js: an engine is fed a batch of citations
 * in reading order so it can decide first, subsequent and "Ibid." forms and
 * disambiguate, and is asked for names and the bibliography. A build makes
 * one for names and the bibliography, and one more per thread that formats
 * batches. citeproc-js is imported nowhere else.
 */
import type { CitationItem as CiteprocItem, XmlJson } from 'citeproc'
import { citeproc } from './citeproc.ts'
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

export interface Citeproc {
  /**
   * Format a run of citations in reading order, from a fresh state: first
   * citations are full, later ones short or "Ibid." as the style says.
   * Returns each cluster's HTML by id.
   */
  format(clusters: CiteCluster[]): Map<string, string>
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

  return {
    format(clusters) {
      // One batch: citeproc registers the items once instead of once per citation,
      // which is what makes a long book fast (appendCitationCluster is quadratic in practice).
      // rebuildProcessorState keeps what it knew of items cited again (their disambiguation):
      // emptying the registry first makes each batch's text depend on the batch alone.
      engine.updateItems([])
      const results = engine.rebuildProcessorState(
        clusters.map(({ id, items, noteIndex }) => ({ citationID: id, citationItems: items.map(toCiteproc), properties: { noteIndex } })),
        'html',
      )
      return new Map(results.map(([id, , html]) => [id, affix(html)]))
    },
    authorOnly(item) {
      return engine.makeCitationCluster([{ ...toCiteproc(item), 'author-only': true }])
    },
    bibliography(keys) {
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
