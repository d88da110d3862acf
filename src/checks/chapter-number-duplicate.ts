/**
 * Rule `chapter-number-duplicate`: two chapters with the same number. Their
 * ids, sections and cross-references would collide, and the contents would
 * list the number twice.
 */
import type { VFile } from 'vfile'
import type { Book, Chapter } from '../model/types.ts'
import { report } from './rules.ts'

const from: Record<Chapter['numberSource'], string> = {
  'front-matter': 'its front matter',
  heading: 'its title heading',
  sections: 'its numbered sections',
  'file-name': 'its file name',
  none: '',
}

export function checkChapterNumbers(book: Book, files: Map<string, VFile>): void {
  const first = new Map<number, Chapter>()
  for (const chapter of book.chapters) {
    if (chapter.number === undefined) continue
    const earlier = first.get(chapter.number)
    if (!earlier) {
      first.set(chapter.number, chapter)
      continue
    }
    const file = files.get(chapter.source)!
    report(
      file,
      'chapter-number-duplicate',
      `Unexpected chapter number ${chapter.number} (from ${from[chapter.numberSource]}): ${earlier.source} is chapter ${chapter.number} too. Renumber one of them (\`number:\` in the front matter settles it)`,
      numberPlace(file, chapter),
    )
  }
}

/** Where the number was read: the front matter's `number:`, the title heading, the first section line. */
function numberPlace(file: VFile, chapter: Chapter) {
  const lines = String(file.value).split(/\r\n|\r|\n/)
  const pattern =
    chapter.numberSource === 'front-matter' ? /^number:/ : chapter.numberSource === 'heading' ? /^#\s/ : chapter.numberSource === 'sections' ? /^\s*\d+\.\d/ : undefined
  const index = pattern ? lines.findIndex((line) => pattern.test(line)) : -1
  if (index < 0) return { line: 1, column: 1 }
  const text = lines[index]!
  const column = text.length - text.trimStart().length + 1
  return { start: { line: index + 1, column }, end: { line: index + 1, column: text.trimEnd().length + 1 } }
}
