/**
 * What a chapter is in the book, beyond "a chapter": front matter such as a
 * dedication or a preface, or back matter such as an appendix. A chapter's
 * front matter says `role:`; its role decides where it may stand, how it is
 * labelled and numbered, and how each edition marks it (EPUB structural
 * semantics, DPUB-ARIA roles, the PDF's folios and running heads).
 */

export const CHAPTER_ROLES = ['dedication', 'epigraph', 'foreword', 'preface', 'acknowledgments', 'introduction', 'appendix', 'afterword', 'glossary', 'index', 'about-the-author'] as const

export type ChapterRole = (typeof CHAPTER_ROLES)[number]

/** Where a chapter belongs in the book. */
export type Matter = 'front' | 'body' | 'back'

/** Roles only front matter has; `acknowledgments` may be either, by its place; `introduction` opens the body. */
const FRONT_ONLY: ReadonlySet<ChapterRole> = new Set(['dedication', 'epigraph', 'foreword', 'preface'])
const BACK_ONLY: ReadonlySet<ChapterRole> = new Set(['appendix', 'afterword', 'glossary', 'index', 'about-the-author'])

/** The matter a role belongs to wherever it stands, or undefined when its place decides (acknowledgments). */
export function fixedMatter(role: ChapterRole | undefined): Matter | undefined {
  if (role === undefined || role === 'introduction') return 'body'
  if (FRONT_ONLY.has(role)) return 'front'
  if (BACK_ONLY.has(role)) return 'back'
  return undefined
}

/** Roles set on a page of their own, centred, with no running head or folio. */
export function isOrnamental(role: ChapterRole | undefined): boolean {
  return role === 'dedication' || role === 'epigraph'
}

/** The EPUB structural semantic and the DPUB-ARIA role of a chapter with `role` (none for a plain chapter). */
export function roleSemantics(role: ChapterRole | undefined): { epubType?: string; ariaRole?: string } {
  switch (role) {
    case undefined:
      return {}
    // EPUB's vocabulary and DPUB-ARIA have no term for it: back matter, and nothing more.
    case 'about-the-author':
      return {}
    default:
      return { epubType: role, ariaRole: `doc-${role}` }
  }
}

/** The letter of the `index`-th appendix (0 → A … 25 → Z, 26 → AA). */
export function appendixLetter(index: number): string {
  let letters = ''
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters
  return letters
}
