/**
 * The printed edition's pages in the EPUB (book.yaml `print-isbn:`): a
 * page-break marker where each printed page of the body begins, and a
 * `page-list` nav of them (EPUB Accessibility 1.1, page navigation).
 *
 * The PDF renderer says where each page begins (pdf/page-starts.ts): an
 * element id and how many characters of text after its start. Counted the
 * same way here, in the EPUB document holding that id (soft hyphens and
 * what only one edition has left out), the marker goes between words: a page
 * that begins inside a word broken across pages gets its marker after that
 * word.
 */
import type { Element, ElementContent, Root, Text } from 'hast'
import { h } from 'hastscript'
import type { PrintedPage } from '../pdf/page-starts.ts'

/** What the print has and the EPUB does not, or the other way round: left out of the count. */
const EPUB_ONLY = new Set(['note-backlink', 'index-locator-list'])

/** The id of the marker of a printed page. */
export function pageMarkerId(page: PrintedPage): string {
  return `page-${page.label}`
}

/**
 * Put the markers of `pages` (all anchored in this tree) into it. Returns
 * the pages it could not place (an anchor it does not hold, or counted past
 * its end), for the renderer to report.
 */
export function insertPageMarkers(tree: Root | Element, pages: PrintedPage[]): PrintedPage[] {
  // The text in document order, with where each element with an id starts.
  const texts: { node: Text; parent: Element | Root; counted: boolean }[] = []
  const starts = new Map<string, number>()
  const walk = (node: Root | Element, counted: boolean) => {
    for (const child of node.children) {
      if (child.type === 'text') texts.push({ node: child, parent: node, counted })
      else if (child.type === 'element') {
        if (typeof child.properties.id === 'string' && !starts.has(child.properties.id)) starts.set(child.properties.id, texts.length)
        const classes = Array.isArray(child.properties.className) ? child.properties.className.map(String) : []
        walk(child, counted && !classes.some((name) => EPUB_ONLY.has(name)))
      }
    }
  }
  walk(tree, true)
  const lost: PrintedPage[] = []
  // Per text node, the places (raw offsets) and markers to put there.
  const places = new Map<Text, { at: number; marker: Element }[]>()
  for (const page of pages) {
    const first = starts.get(page.anchor)
    if (first === undefined) {
      lost.push(page)
      continue
    }
    let left = page.offset
    let placed = false
    for (let index = first; index < texts.length; index++) {
      const { node, counted } = texts[index]!
      if (!counted) continue
      const length = node.value.replace(/\u00AD/g, '').length
      if (left >= length) {
        left -= length
        continue
      }
      const at = wordBoundary(node.value, rawOffset(node.value, left))
      const marker = h('span', { id: pageMarkerId(page), role: 'doc-pagebreak', ariaLabel: page.label })
      places.set(node, [...(places.get(node) ?? []), { at, marker }])
      placed = true
      break
    }
    if (!placed) lost.push(page)
  }
  for (const { node, parent } of texts) {
    const list = places.get(node)
    if (!list) continue
    const pieces: ElementContent[] = []
    let from = 0
    for (const { at, marker } of list.sort((a, b) => a.at - b.at)) {
      if (at > from) pieces.push({ type: 'text', value: node.value.slice(from, at) })
      pieces.push(marker)
      from = Math.max(from, at)
    }
    if (from < node.value.length) pieces.push({ type: 'text', value: node.value.slice(from) })
    const children = parent.children as ElementContent[]
    children.splice(children.indexOf(node), 1, ...pieces)
  }
  return lost
}

/** The raw index of the `counted`-th character not a soft hyphen. */
function rawOffset(text: string, counted: number): number {
  let seen = 0
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\u00AD') continue
    if (seen === counted) return index
    seen++
  }
  return text.length
}

/** `at`, or the end of the word it falls inside: a marker never splits a word. */
function wordBoundary(text: string, at: number): number {
  const word = /[\p{L}\p{N}\u00AD'’-]/u
  if (at === 0 || !word.test(text[at - 1] ?? '') || !word.test(text[at] ?? '')) return at
  while (at < text.length && word.test(text[at]!)) at++
  return at
}

/** The `page-list` nav: each printed page of the body, linking to its marker. */
export function pageListNav(pages: PrintedPage[], hrefOf: (page: PrintedPage) => string | undefined, label: string): Element {
  return h('nav', { 'epub:type': 'page-list', hidden: true, ariaLabel: label }, [
    h('h2', label),
    h(
      'ol',
      pages.flatMap((page) => {
        const href = hrefOf(page)
        return href ? [h('li', [h('a', { href: `${href}#${pageMarkerId(page)}` }, page.label)])] : []
      }),
    ),
  ])
}
