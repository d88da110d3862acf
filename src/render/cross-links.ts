/**
 * The book model links by fragment only (`#ch-3-note-2`, `#ref-kennan1947`),
 * as if it were one document, which the PDF is. Editions split into several
 * files (HTML pages, EPUB chapters) point each such link at the file that
 * holds its target.
 */
import type { Root } from 'hast'
import { visit } from 'unist-util-visit'

export interface LinkedPage {
  /** File name the page is written to (`03-citations.html`). */
  path: string
  tree: Root
}

/** Rewrite `#id` links whose target is on another page to `page#id`. */
export function linkAcrossPages(pages: LinkedPage[]): void {
  const home = new Map<string, string>()
  for (const page of pages) {
    visit(page.tree, 'element', (node) => {
      const id = node.properties.id
      if (typeof id === 'string' && !home.has(id)) home.set(id, page.path)
    })
  }
  for (const page of pages) {
    visit(page.tree, 'element', (node) => {
      const href = node.properties.href
      if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return
      const target = home.get(decodeURIComponent(href.slice(1)))
      if (target && target !== page.path) node.properties.href = `${target}${href}`
    })
  }
}
