/**
 * The two facts about an HTML tree that linking across an edition's pages
 * reads: the ids its elements carry (targets other pages may link to) and
 * the relative hrefs of its links (which depend on where other pages' ids
 * are). The HTML stage records them for each chapter, so a renderer can tell
 * whether a chapter's page would come out the same without walking its tree.
 */
import type { Nodes } from 'hast'
import { visit } from 'unist-util-visit'

const SCHEME = /^[a-z][a-z0-9+.-]*:/i

/** A link within the edition: no scheme (`https:`, `mailto:`) and not protocol-relative. */
export function isLocalHref(href: string): boolean {
  return !SCHEME.test(href) && !href.startsWith('//')
}

/** The ids in `tree`, in document order (repeats kept once), and its links' distinct local hrefs. */
export function anchorsAndLinks(tree: Nodes): { anchors: string[]; hrefs: string[] } {
  const anchors = new Set<string>()
  const hrefs = new Set<string>()
  visit(tree, 'element', (node) => {
    const { id, href } = node.properties
    if (typeof id === 'string') anchors.add(id)
    if (node.tagName === 'a' && typeof href === 'string' && isLocalHref(href)) hrefs.add(href)
  })
  return { anchors: [...anchors], hrefs: [...hrefs] }
}
