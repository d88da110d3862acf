/**
 * The book model links by fragment only (`#ch-3-note-2`, `#ref-kennan1947`),
 * as if it were one document, which the PDF is. Editions split into several
 * files (HTML pages, EPUB chapters) point each such link at the file that
 * holds its target. An author's link to another chapter's Markdown file
 * (`02-sources.md#sec-2-1`) is pointed at that chapter's page.
 */
import type { Root } from 'hast'
import { visit } from 'unist-util-visit'
import { decodeUri } from '../manuscript/uri.ts'

export interface LinkedPage {
  /** File name the page is written to (`03-citations.html`). */
  path: string
  tree: Root
}

export interface CrossLinkOptions {
  /** Manuscript-relative chapter sources (`02-sources.md`) and the page each became. */
  pageOfSource?: Map<string, string>
  /**
   * Remove links to a fragment no page defines and to local files that are
   * not chapters, keeping their text (default: false). An EPUB must: a
   * link into nothing is an error there.
   */
  dropDangling?: boolean
}

const scheme = /^[a-z][a-z0-9+.-]*:/i

/** Rewrite `#id` links whose target is on another page to `page#id`. */
export function linkAcrossPages(pages: LinkedPage[], options: CrossLinkOptions = {}): void {
  const home = new Map<string, string>()
  const ids = new Map<string, Set<string>>()
  for (const page of pages) {
    const own = new Set<string>()
    ids.set(page.path, own)
    visit(page.tree, 'element', (node) => {
      const id = node.properties.id
      if (typeof id !== 'string') return
      own.add(id)
      if (!home.has(id)) home.set(id, page.path)
    })
  }
  for (const page of pages) {
    visit(page.tree, 'element', (node) => {
      const href = node.properties.href
      if (node.tagName !== 'a' || typeof href !== 'string' || scheme.test(href) || href.startsWith('//')) return
      const hash = href.indexOf('#')
      const file = hash < 0 ? href : href.slice(0, hash)
      const fragment = hash < 0 ? '' : decodeUri(href.slice(hash + 1))
      let target: string | undefined
      if (file === '') target = ids.get(page.path)?.has(fragment) ? page.path : home.get(fragment)
      else target = options.pageOfSource?.get(decodeUri(file).replace(/^\.\//, '')) ?? (ids.has(file) ? file : undefined)
      const known = target !== undefined && (fragment === '' || ids.get(target)?.has(fragment) === true)
      if (!known) {
        if (options.dropDangling) delete node.properties.href
        return
      }
      const link = fragment === '' ? target! : `${target}#${encodeURIComponent(fragment)}`
      node.properties.href = target === page.path && fragment !== '' ? `#${encodeURIComponent(fragment)}` : link
    })
  }
}

