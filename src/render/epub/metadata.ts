/**
 * The publication's facts as the EPUB package states them: its identifier,
 * its modification time, and what it offers readers with disabilities.
 * Everything is derived from book.yaml and the book, never from the clock
 * alone, so the same manuscript gives the same bytes.
 */
import { createHash } from 'node:crypto'
import type { Book } from '../../model/types.ts'
import { parseIsbn } from '../../config/isbn.ts'
import { authorNames } from '../book-parts.ts'

export interface Identifier {
  /** The value of `dc:identifier` (`urn:isbn:…`, `urn:uuid:…`, or as written). */
  value: string
  /** `15` (ISBN-13) or `02` (ISBN-10) in ONIX code list 5, when it is an ISBN. */
  onixType?: '15' | '02'
}

/** A name-based (version 5) UUID: the same name always gives the same UUID. */
export function uuidV5(name: string, namespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest()
  hash[6] = (hash[6]! & 0x0f) | 0x50
  hash[8] = (hash[8]! & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The ISBN if `identifier` is one, else the identifier as written, else a UUID from the title and authors. */
export function publicationIdentifier(book: Book): Identifier {
  const written = book.config.identifier
  if (written) {
    const isbn = parseIsbn(written)
    if (isbn) return { value: `urn:isbn:${isbn}`, onixType: isbn.length === 13 ? '15' : '02' }
    return { value: written }
  }
  // The URL namespace, over a name that says what the book is: stable across builds and machines.
  return { value: `urn:uuid:${uuidV5(`quire:${book.config.title}\n${authorNames(book.config).join('\n')}`)}` }
}

/** `2026-11-01T00:00:00Z`: the form `dcterms:modified` requires (no fractions). */
export function w3cDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export interface Accessibility {
  accessModes: string[]
  /** Each entry a comma-separated set of modes that suffices on its own. */
  accessModesSufficient: string[]
  features: string[]
  hazards: string[]
  summary: string
}

/**
 * What the book offers, per EPUB Accessibility 1.1 and schema.org: text
 * throughout, images described by their alt text, a navigable structure.
 * `undescribed` counts images without alt text (reported by `check`).
 */
export function accessibilityOf(book: Book, images: { total: number; undescribed: number }, printPages = false): Accessibility {
  const hasImages = images.total > 0
  const hasNotes = book.chapters.some((chapter) => chapter.notes.length > 0)
  const features = ['tableOfContents', 'readingOrder', 'structuralNavigation', 'displayTransformability']
  if (hasImages && images.undescribed === 0) features.push('alternativeText')
  if (hasNotes) features.push('annotations')
  // Markers where each printed page begins, and a page list (print-isbn): page-list.ts.
  if (printPages) features.push('pageBreakMarkers', 'pageNavigation')
  const sentences = [
    'The text is reflowable and its fonts, size and colours can be changed by the reader.',
    'A table of contents lists every chapter and its numbered sections; headings mark the same structure in the text, and the reading order follows the printed book.',
  ]
  if (hasImages) {
    sentences.push(
      images.undescribed === 0
        ? 'Every image has a text description.'
        : `${images.undescribed} of ${images.total} images have no text description.`,
    )
  }
  if (hasNotes) sentences.push('Notes are linked from the text and link back to it.')
  sentences.push('There are no known hazards.')
  return {
    accessModes: hasImages ? ['textual', 'visual'] : ['textual'],
    accessModesSufficient: hasImages && images.undescribed > 0 ? ['textual,visual'] : hasImages ? ['textual', 'textual,visual'] : ['textual'],
    features,
    hazards: ['none'],
    summary: sentences.join(' '),
  }
}
