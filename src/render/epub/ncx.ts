/**
 * The NCX: EPUB 2's table of contents, which older reading systems (and
 * some e-ink readers still sold) use instead of the navigation document.
 * Same entries as the nav: chapters, their sections, the bibliography.
 */
import { x } from 'xastscript'
import type { Element as XastElement } from 'xast'
import { xmlDocument } from './package-document.ts'

export interface NavEntry {
  label: string
  href: string
  children: NavEntry[]
}

/** The `toc.ncx` text. */
export function ncxDocument(options: { identifier: string; title: string; authors: string[]; language: string; entries: NavEntry[] }): string {
  let order = 0
  const depthOf = (entries: NavEntry[]): number => (entries.length === 0 ? 0 : 1 + Math.max(...entries.map((entry) => depthOf(entry.children))))
  const navPoint = (entry: NavEntry): XastElement => {
    order += 1
    return x('navPoint', { id: `nav-${order}`, playOrder: String(order) }, [
      x('navLabel', [x('text', entry.label)]),
      x('content', { src: entry.href }),
      ...entry.children.map(navPoint),
    ])
  }
  const root = x('ncx', { xmlns: 'http://www.daisy.org/z3986/2005/ncx/', version: '2005-1', 'xml:lang': options.language }, [
    x('head', [
      x('meta', { name: 'dtb:uid', content: options.identifier }),
      x('meta', { name: 'dtb:depth', content: String(Math.max(1, depthOf(options.entries))) }),
      x('meta', { name: 'dtb:totalPageCount', content: '0' }),
      x('meta', { name: 'dtb:maxPageNumber', content: '0' }),
    ]),
    x('docTitle', [x('text', options.title)]),
    ...options.authors.map((author) => x('docAuthor', [x('text', author)])),
    x('navMap', options.entries.map(navPoint)),
  ])
  return xmlDocument(root)
}
