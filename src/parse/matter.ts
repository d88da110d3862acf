/**
 * Where each chapter stands in the book: front matter, body or back matter,
 * from its `role:` and its place, and the letters of the appendices. Front
 * matter comes before the first chapter of the body (a chapter with no role,
 * or an introduction), a dedication or an epigraph before the rest of it
 * (they are bound before the contents), and back matter after the last: a preface after
 * chapter 3, or chapter 12 after an appendix, is reported where its role is
 * written (or at the later chapter's first line), since no edition can
 * print it as the author means.
 */
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import { appendixLetter, fixedMatter, isOrnamental } from '../model/roles.ts'
import type { MarkdownChapter } from '../model/types.ts'

export function placeChapters(chapters: MarkdownChapter[], files: (chapter: MarkdownChapter) => VFile): void {
  const firstBody = chapters.findIndex((chapter) => fixedMatter(chapter.role) === 'body')
  let appendices = 0
  let backSeen: MarkdownChapter | undefined
  let otherFront: MarkdownChapter | undefined
  for (const [index, chapter] of chapters.entries()) {
    const fixed = fixedMatter(chapter.role)
    const file = files(chapter)
    const point = file.data.frontMatter?.rolePoint ?? { line: 1, column: 1 }
    const misplaced = fixed === 'front' && firstBody >= 0 && index > firstBody
    if (misplaced) {
      report(file, 'chapter-role-misplaced', `A ${chapter.role} is front matter, but it comes after the first chapter (${chapters[firstBody]!.source}): move it before, or give it another \`role:\``, point)
    }
    // Acknowledgments open the book before its first chapter and close it after. Misplaced
    // front matter (a draft builds it) is set where it stands, as a chapter.
    chapter.matter = misplaced ? 'body' : (fixed ?? (firstBody < 0 || index < firstBody ? 'front' : 'back'))
    if (chapter.matter === 'back') backSeen ??= chapter
    // A `role:` that could not be read (reported) may have been back matter's.
    else if (chapter.matter === 'body' && backSeen && !(file.data.frontMatter?.rolePoint && !chapter.role)) {
      report(file, 'chapter-role-misplaced', `This chapter comes after back matter (${backSeen.source}, ${backSeen.role}): move the back matter after the last chapter, or give this one a back matter \`role:\``, chapter.role ? point : { line: 1, column: 1 })
    }
    if (chapter.matter === 'front' && !isOrnamental(chapter.role)) otherFront ??= chapter
    else if (chapter.matter === 'front' && otherFront) {
      // Printed before the contents, so before the rest of the front matter.
      report(file, 'chapter-role-misplaced', `A ${chapter.role} opens the book, before the contents and the rest of the front matter (${otherFront.source}, ${otherFront.role}): move it before that`, point)
    }
    if (chapter.role === 'appendix') chapter.letter = appendixLetter(appendices++)
  }
}
