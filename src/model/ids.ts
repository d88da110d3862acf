/**
 * Element ids shared by every edition. They must be unique across the whole
 * book, because the PDF prints all chapters into one document.
 */
import { slugify } from '../text/slug.ts'

/** `ch-7` for a numbered chapter, `ch-<slug>` for an unnumbered one. */
export function chapterId(number: number | undefined, nameSlug: string): string {
  return number === undefined ? `ch-${slugify(nameSlug) || 'x'}` : `ch-${number}`
}
