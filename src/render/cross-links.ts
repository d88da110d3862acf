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
 */
import type { Root } from 'hast'
import { visit } from 'unist-util-visit'
import { decodeUri } from '../manuscript/uri.ts'
import { markUnresolvedLink } from '../unified/unresolved-link.ts'

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

const scheme = /^[a-z][a-z0-9+.-]*:/i

/** Rewrite `#id` links whose target is on another page to `page#id`; mark those with no target as unresolved. */
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
      const name = decodeUri(file)
      if (options.files?.has(name)) return
      if (options.unlinked?.has(name)) {
        const { id } = node.properties
        node.tagName = 'span'
        node.properties = id === undefined ? {} : { id }
        return
      }
      let target: string | undefined
      if (file === '') target = ids.get(page.path)?.has(fragment) ? page.path : home.get(fragment)
      else target = options.pageOfSource?.get(name.replace(/^\.\//, '')) ?? (ids.has(file) ? file : undefined)
      const known = target !== undefined && (fragment === '' || ids.get(target)?.has(fragment) === true)
      if (!known) {
        markUnresolvedLink(node, href)
        return
      }
      const link = fragment === '' ? target! : `${target}#${encodeURIComponent(fragment)}`
      node.properties.href = target === page.path && fragment !== '' ? `#${encodeURIComponent(fragment)}` : link
    })
  }
}

