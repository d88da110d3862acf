/** The formatted list of works cited, as a section of hast with an id per entry. */
import type { ElementContent } from 'hast'
import { toString as hastToString } from 'hast-util-to-string'
import { h } from 'hastscript'
import type { BibliographyEntry, BibliographySection } from '../model/types.ts'
import { cslHtmlToHast } from './csl-html.ts'

/**
 * Stable element ids for citation keys: `ref-` and the key, with characters
 * an XML id cannot hold replaced (EPUB is XHTML); a clash gets a number.
 */
export function referenceIds(keys: Iterable<string>): Map<string, string> {
  const ids = new Map<string, string>()
  const used = new Set<string>()
  for (const key of [...keys].sort()) {
    const base = `ref-${key.replace(/[^A-Za-z0-9_.-]+/g, '-')}`
    let id = base
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`
    used.add(id)
    ids.set(key, id)
  }
  return ids
}

export interface BibliographyOptions {
  title: string
  ids: Map<string, string>
  /** Prepended to each entry id: a chapter's list must not repeat the book's ids. */
  idPrefix: string
  /** Heading rank: 1 for the book's bibliography, 2 inside a chapter. */
  level: 1 | 2
  id: string
  hanging: boolean
}

/** Build the section from citeproc's entries, kept in the style's order. */
export function buildBibliography(entries: { key: string; html: string }[], options: BibliographyOptions): BibliographySection {
  const list: BibliographyEntry[] = []
  const items = entries.map(({ key, html }) => {
    const id = `${options.idPrefix}${options.ids.get(key)}`
    const hast = unwrapEntry(cslHtmlToHast(html))
    list.push({ key, id, text: hastToString({ type: 'root', children: hast }).replace(/\s+/g, ' ').trim() })
    return h('li', { id, className: ['csl-entry'] }, hast)
  })
  const titleId = `${options.id}-title`
  return {
    title: options.title,
    entries: list,
    hast: h('section', { id: options.id, className: ['bibliography'], role: 'doc-bibliography', ariaLabelledBy: titleId }, [
      h(`h${options.level}`, { id: titleId, className: ['bibliography-title'] }, options.title),
      h('ul', { className: ['bibliography-list', ...(options.hanging ? ['hanging-indent'] : [])] }, items),
    ]),
  }
}

/** citeproc wraps each entry in `<div class="csl-entry">`; the list item takes its place. */
function unwrapEntry(nodes: ElementContent[]): ElementContent[] {
  const content = nodes.filter((node) => !(node.type === 'text' && node.value.trim() === ''))
  const only = content[0]
  if (content.length === 1 && only?.type === 'element' && only.tagName === 'div') return only.children
  return content
}
