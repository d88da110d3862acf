/**
 * The book model links by fragment only (`#ch-3-note-2`, `#ref-kennan1947`),
 * as if it were one document, which the PDF is. Editions split into several
 * files (HTML pages, EPUB chapters) point each such link at the file that
 * holds its target. An author's link to another chapter's Markdown file
 * (`02-sources.md#sec-2-1`) is pointed at that chapter's page.
 *
 * Every edition resolves its links here. The manuscript's links were checked
 * before (`link-target-unknown`, `link-file-missing`: errors, so only a draft
 * gets this far with one); anything still without a target in this edition
 * becomes text with a visible "[?]", never a link into nothing.
 *
 * It works in two steps, so a renderer can reuse a chapter's page from the
 * cache: `linkIndex` learns where every id is (from trees, or from the ids
 * the HTML stage recorded), and `resolveHref` says what one href becomes on
 * one page; a page's links, resolved, are part of its cache key.
 */
import type { Root } from 'hast'
import { visit } from 'unist-util-visit'
import { decodeUri } from '../manuscript/uri.ts'
import { anchorsAndLinks, isLocalHref } from '../unified/anchors.ts'
import { markUnresolvedLink, unlink } from '../unified/unresolved-link.ts'

export interface LinkedPage {
  /** File name the page is written to (`03-citations.html`). */
  path: string
  tree: Root
}

export interface CrossLinkOptions {
  /** Manuscript-relative chapter sources (`02-sources.md`) and the page each became. */
  pageOfSource?: Map<string, string>
  /** Other files of the edition that links may name as they are (the web edition's images and downloads). */
  files?: ReadonlySet<string>
  /**
   * Files of the book this edition cannot link to (its images, in an EPUB,
   * which may link only to its documents, or on paper): links to them keep
   * only their text.
   */
  unlinked?: ReadonlySet<string>
}

/** Where each id of the edition is: its first page, and every page's own ids. */
export interface LinkIndex {
  home: Map<string, string>
  ids: Map<string, Set<string>>
}

/** What a link becomes: kept as written, a new href, text only, or text with "[?]". */
export type Resolution = { keep: true } | { href: string } | { unlink: true } | { unresolved: true }

/** Index the ids of an edition's pages, in reading order (a repeated id belongs to its first page). */
export function linkIndex(pages: { path: string; anchors: Iterable<string> }[]): LinkIndex {
  const home = new Map<string, string>()
  const ids = new Map<string, Set<string>>()
  for (const page of pages) {
    const own = new Set(page.anchors)
    ids.set(page.path, own)
    for (const id of own) if (!home.has(id)) home.set(id, page.path)
  }
  return { home, ids }
}

/** What the local link `href` on page `from` becomes in this edition. */
export function resolveHref(href: string, from: string, index: LinkIndex, options: CrossLinkOptions = {}): Resolution {
  const hash = href.indexOf('#')
  const file = hash < 0 ? href : href.slice(0, hash)
  const fragment = hash < 0 ? '' : decodeUri(href.slice(hash + 1))
  const name = decodeUri(file)
  if (options.files?.has(name)) return { keep: true }
  if (options.unlinked?.has(name)) return { unlink: true }
  let target: string | undefined
  if (file === '') target = index.ids.get(from)?.has(fragment) ? from : index.home.get(fragment)
  else target = options.pageOfSource?.get(name.replace(/^\.\//, '')) ?? (index.ids.has(file) ? file : undefined)
  const known = target !== undefined && (fragment === '' || index.ids.get(target)?.has(fragment) === true)
  if (!known) return { unresolved: true }
  if (target === from && fragment !== '') return { href: `#${encodeURIComponent(fragment)}` }
  return { href: fragment === '' ? target! : `${target}#${encodeURIComponent(fragment)}` }
}

/** Rewrite the links of one page in place, as `resolveHref` says. */
export function linkPage(page: LinkedPage, index: LinkIndex, options: CrossLinkOptions = {}): void {
  visit(page.tree, 'element', (node) => {
    const href = node.properties.href
    if (node.tagName !== 'a' || typeof href !== 'string' || !isLocalHref(href)) return
    const resolution = resolveHref(href, page.path, index, options)
    if ('href' in resolution) node.properties.href = resolution.href
    else if ('unlink' in resolution) unlink(node)
    else if ('unresolved' in resolution) markUnresolvedLink(node, href)
  })
}

/** Rewrite `#id` links whose target is on another page to `page#id`; mark those with no target as unresolved. */
export function linkAcrossPages(pages: LinkedPage[], options: CrossLinkOptions = {}): void {
  const index = linkIndex(pages.map((page) => ({ path: page.path, anchors: anchorsAndLinks(page.tree).anchors })))
  for (const page of pages) linkPage(page, index, options)
}
