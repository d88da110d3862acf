/**
 * The package document (`content.opf`): metadata, manifest and spine. The
 * metadata says who made the book and what it offers readers who use
 * assistive technology (EPUB Accessibility 1.1); everything in it comes
 * from book.yaml, the book, and the files packed.
 */
import type { Element as XastElement } from 'xast'
import { x } from 'xastscript'
import type { Contributor } from '../../config/schema.ts'
import type { Book } from '../../model/types.ts'
import { w3cDateTime, type Accessibility, type Identifier } from './metadata.ts'
import { serializeXml } from '../../text/xml.ts'

/** One file of the publication. */
export interface ManifestItem {
  id: string
  /** Path relative to the package document. */
  href: string
  mediaType: string
  properties?: string[]
}

export interface PackagePlan {
  book: Book
  identifier: Identifier
  modified: Date
  accessibility: Accessibility
  manifest: ManifestItem[]
  /** Manifest ids in reading order. */
  spine: string[]
  /** Manifest id of the cover image. */
  coverImage: string
  /** Manifest id of the NCX, for EPUB 2 reading systems. */
  ncx: string
}

/** MARC relator codes for the roles book.yaml knows. */
const RELATORS: Record<Contributor['role'], string> = {
  author: 'aut',
  editor: 'edt',
  translator: 'trl',
  illustrator: 'ill',
  contributor: 'ctb',
}

/** The `content.opf` text. */
export function packageDocument(plan: PackagePlan): string {
  const { book, identifier, accessibility } = plan
  const { config } = book
  const metadata: XastElement[] = [
    x('dc:identifier', { id: 'pub-id' }, identifier.value),
    ...(identifier.onixType ? [x('meta', { refines: '#pub-id', property: 'identifier-type', scheme: 'onix:codelist5' }, identifier.onixType)] : []),
    x('dc:title', { id: 'title' }, config.title),
    x('meta', { refines: '#title', property: 'title-type' }, 'main'),
  ]
  if (config.subtitle) {
    metadata.push(x('dc:title', { id: 'subtitle' }, config.subtitle), x('meta', { refines: '#subtitle', property: 'title-type' }, 'subtitle'))
  }
  config.contributors.forEach((person, index) => {
    const id = `creator-${index + 1}`
    // Authors are creators; editors, translators and the rest contribute.
    metadata.push(
      x(person.role === 'author' ? 'dc:creator' : 'dc:contributor', { id }, person.name),
      x('meta', { refines: `#${id}`, property: 'role', scheme: 'marc:relators' }, RELATORS[person.role]),
      x('meta', { refines: `#${id}`, property: 'display-seq' }, String(index + 1)),
    )
    if (person.fileAs) metadata.push(x('meta', { refines: `#${id}`, property: 'file-as' }, person.fileAs))
  })
  metadata.push(x('dc:language', config.language))
  if (config.printIsbn) {
    // The edition whose pages the page list follows, as EPUB 3.2 says it (dc:source refined by source-of), which Ace accepts.
    // EPUB 3.3's pageBreakSource is refused by epubcheck 4.2.6 ("Undefined property", with or without the a11y: prefix).
    metadata.push(x('dc:source', { id: 'print-source' }, `urn:isbn:${config.printIsbn}`))
    metadata.push(x('meta', { refines: '#print-source', property: 'source-of' }, 'pagination'))
  }
  if (config.publisher) metadata.push(x('dc:publisher', config.publisher))
  if (config.date) metadata.push(x('dc:date', config.date))
  if (config.rights) metadata.push(x('dc:rights', config.rights))
  if (config.description) metadata.push(x('dc:description', config.description))
  metadata.push(x('meta', { property: 'dcterms:modified' }, w3cDateTime(plan.modified)))
  for (const mode of accessibility.accessModes) metadata.push(x('meta', { property: 'schema:accessMode' }, mode))
  for (const modes of accessibility.accessModesSufficient) metadata.push(x('meta', { property: 'schema:accessModeSufficient' }, modes))
  for (const feature of accessibility.features) metadata.push(x('meta', { property: 'schema:accessibilityFeature' }, feature))
  for (const hazard of accessibility.hazards) metadata.push(x('meta', { property: 'schema:accessibilityHazard' }, hazard))
  metadata.push(
    x('meta', { property: 'schema:accessibilitySummary' }, accessibility.summary),
    x('meta', { property: 'dcterms:conformsTo' }, 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA'),
    // EPUB Accessibility 1.0's form, which older checkers look for.
    x('link', { rel: 'dcterms:conformsTo', href: 'http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-aa' }),
    // EPUB 2 reading systems find the cover through this.
    x('meta', { name: 'cover', content: plan.coverImage }),
  )
  const root = x(
    'package',
    { xmlns: 'http://www.idpf.org/2007/opf', version: '3.0', 'unique-identifier': 'pub-id', 'xml:lang': config.language },
    [
      x('metadata', { 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' }, metadata),
      x(
        'manifest',
        plan.manifest.map((item) =>
          x('item', { id: item.id, href: item.href, 'media-type': item.mediaType, ...(item.properties?.length ? { properties: item.properties.join(' ') } : {}) }),
        ),
      ),
      x('spine', { toc: plan.ncx }, plan.spine.map((idref) => x('itemref', { idref }))),
    ],
  )
  return xmlDocument(root)
}

/** An XML file's text: declaration, then the element, indented one element per line. */
export function xmlDocument(root: XastElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(indent(root, 0))}\n`
}

/** Put each child element on its own line (for elements holding only elements). */
function indent(element: XastElement, depth: number): XastElement {
  const children = element.children
  if (children.length === 0 || !children.every((child) => child.type === 'element')) return element
  const pad = '\n' + '  '.repeat(depth + 1)
  return {
    ...element,
    children: [
      ...children.flatMap((child) => [{ type: 'text' as const, value: pad }, indent(child as XastElement, depth + 1)]),
      { type: 'text' as const, value: '\n' + '  '.repeat(depth) },
    ],
  }
}
