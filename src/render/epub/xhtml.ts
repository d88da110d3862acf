/**
 * Serialize hast as the XHTML an EPUB needs: well-formed XML in the XHTML
 * namespace, `lang` and `xml:lang` on the root, and the structural
 * semantics reading systems act on (`epub:type`) next to the ARIA roles the
 * pipeline already gives, so Apple Books and Kobo pop up notes.
 */
import type { Element, ElementContent, Root } from 'hast'
import { h } from 'hastscript'
import { toXast } from 'hast-util-to-xast'
import { visit } from 'unist-util-visit'
import { visitParents } from 'unist-util-visit-parents'
import type { Element as XastElement } from 'xast'
import { serializeXml } from '../../text/xml.ts'

/** ARIA roles (DPUB-ARIA) and the EPUB structural semantics they correspond to. */
const EPUB_TYPES: Record<string, string> = {
  'doc-noteref': 'noteref',
  'doc-endnotes': 'endnotes',
  'doc-footnote': 'footnote',
  'doc-backlink': 'backlink',
  'doc-bibliography': 'bibliography',
  'doc-biblioentry': 'biblioentry',
  'doc-toc': 'toc',
  'doc-cover': 'cover',
  'doc-chapter': 'chapter',
  'doc-epigraph': 'epigraph',
  'doc-part': 'part',
  // Chapters with a role (model/roles.ts).
  'doc-dedication': 'dedication',
  'doc-foreword': 'foreword',
  'doc-preface': 'preface',
  'doc-acknowledgments': 'acknowledgments',
  'doc-introduction': 'introduction',
  'doc-appendix': 'appendix',
  'doc-afterword': 'afterword',
  'doc-glossary': 'glossary',
  'doc-index': 'index',
  'doc-pagebreak': 'pagebreak',
}

/** The EPUB Indexes 1.0 semantics the index uses, as classes. */
const INDEX_TYPES = new Set(['index-group', 'index-entry-list', 'index-entry', 'index-term', 'index-locator-list', 'index-locator', 'index-locator-range', 'index-xref-preferred', 'index-xref-related'])

export const EPUB_NAMESPACE = 'http://www.idpf.org/2007/ops'

export interface XhtmlDocument {
  title: string
  language: string
  /** Stylesheets, relative to the document. */
  stylesheets: string[]
  /** `epub:type` of the body (`frontmatter`, `bodymatter`, `backmatter`, `cover`). */
  bodyType?: string
  body: ElementContent[]
}

/** The document as a hast tree (for cross-linking before it is serialized). */
export function xhtmlTree(document: XhtmlDocument): Root {
  return {
    type: 'root',
    children: [
      h('html', { lang: document.language, 'xml:lang': document.language }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          h('title', document.title),
          ...document.stylesheets.map((href) => h('link', { rel: 'stylesheet', type: 'text/css', href })),
        ]),
        h('body', document.bodyType ? { 'epub:type': document.bodyType } : {}, document.body),
      ]),
    ],
  }
}

/**
 * Give every element with a DPUB-ARIA role the matching `epub:type` (kept
 * alongside the role), and each item of an endnotes list `endnote`, which
 * has no role of its own since DPUB-ARIA 1.1.
 */
export function addEpubSemantics(tree: Root | Element): void {
  visitParents(tree, 'element', (node, ancestors) => {
    // Only the notes themselves: the items of the list that is a child of the endnotes section, not lists inside a note.
    const [section, list] = ancestors.slice(-2)
    const isNote = node.tagName === 'li' && list?.type === 'element' && list.tagName === 'ol' && section !== undefined && roleOf(section) === 'doc-endnotes'
    // The index's parts have no ARIA role: book-index.ts names them by class after the EPUB Indexes vocabulary.
    const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : []
    const type = isNote ? 'endnote' : (EPUB_TYPES[roleOf(node) ?? ''] ?? classes.find((name) => INDEX_TYPES.has(name)))
    if (!type) return
    const existing = node.properties['epub:type']
    node.properties['epub:type'] = typeof existing === 'string' && existing ? `${existing} ${type}` : type
  })
}

function roleOf(node: Root | Element): string | undefined {
  if (node.type !== 'element') return undefined
  const roles = node.properties.role
  const role = Array.isArray(roles) ? roles[0] : roles
  return typeof role === 'string' ? role : undefined
}

/**
 * Replace what HTML allows but EPUB 3.2's XHTML schema does not (which
 * epubcheck reports as errors): table cells' `align` (GFM tables write it)
 * becomes a class; `abbr` on a header cell, image sizes that are not whole
 * pixels, unknown list numbering types and unreadable dates are dropped.
 */
export function conformToEpubSchema(tree: Root): void {
  visit(tree, 'element', (node) => {
    const { properties } = node
    if (node.tagName === 'img') {
      // HTML allows `width="50%"` in practice; EPUB's schema wants pixels.
      for (const key of ['width', 'height'] as const) if (properties[key] !== undefined && !/^\d+$/.test(String(properties[key]))) delete properties[key]
    }
    if (node.tagName === 'ol' && properties.type !== undefined && !/^[1aAiI]$/.test(String(properties.type))) delete properties.type
    if ((node.tagName === 'time' || node.tagName === 'del' || node.tagName === 'ins') && properties.dateTime !== undefined && !/^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(String(properties.dateTime))) {
      delete properties.dateTime
    }
    if (node.tagName !== 'td' && node.tagName !== 'th') return
    const align = node.properties.align
    if (typeof align === 'string') {
      const classes = Array.isArray(node.properties.className) ? node.properties.className : []
      node.properties.className = [...classes, `align-${align}`]
    }
    delete node.properties.align
    delete node.properties.abbr
  })
}

/** Serialize a document tree to an XHTML file's text. */
export function serializeXhtml(tree: Root): string {
  const xast = toXast(tree)
  const html = xast.type === 'root' ? xast.children.find((node): node is XastElement => node.type === 'element') : undefined
  if (html) html.attributes = { ...html.attributes, 'xmlns:epub': EPUB_NAMESPACE }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n${serializeXml(xast)}\n`
}
