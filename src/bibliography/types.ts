/** The references a book can cite, as loaded from its bibliography files. */
import type { Point } from 'unist'

/** A CSL-JSON item: the shape citeproc formats. */
export interface CslItem {
  id: string
  type: string
  [field: string]: unknown
}

/** One reference and where it was defined, for diagnostics that point back to it. */
export interface Reference {
  key: string
  item: CslItem
  /** The bibliography file, relative to the working directory (as its vfile names it). */
  file: string
  place?: Point
}

/** What a format reader returns: items, each with the point where it starts. */
export interface ReadEntry {
  item: Record<string, unknown>
  place?: Point
}
