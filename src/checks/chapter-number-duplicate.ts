/**
 * Rule `chapter-number-duplicate`: two chapters with the same number. Their
 * ids, sections and cross-references would collide, and the contents would
 * list the number twice.
 */
import type { Position } from 'unist'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { MarkdownBook, MarkdownChapter } from '../model/types.ts'
import { report } from '../diagnostics/rules.ts'

const from: Record<MarkdownChapter['numberSource'], string> = {
  'front-matter': 'its front matter',
  heading: 'its title heading',
  sections: 'its numbered sections',
  'file-name': 'its file name',
  none: '',
}

export function checkChapterNumbers(book: MarkdownBook, files: Map<string, VFile>): void {
  const first = new Map<number, MarkdownChapter>()
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

/** Where the number was read: the front matter's `number:`, the title heading, the first section line with that number. */
function numberPlace(file: VFile, chapter: MarkdownChapter) {
  if (chapter.numberSource === 'heading') {
    const position = file.data.titleHeading?.heading?.position
    if (position) return position
  }
  if (chapter.numberSource === 'sections') {
    let found: Position | undefined
    visit(chapter.mdast, 'heading', (node) => {
      if (found || !node.position || node.data?.sectionNumber?.split('.')[0] !== String(chapter.number)) return
      found = node.position
    })
    if (found) return found
  }
  if (chapter.numberSource === 'front-matter') {
    const front = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---/.exec(String(file.value))
    const lines = front ? front[1]!.split(/\r?\n/) : []
    const index = lines.findIndex((line) => /^number[ \t]*:/.test(line))
    if (index >= 0) return { start: { line: index + 2, column: 1 }, end: { line: index + 2, column: lines[index]!.trimEnd().length + 1 } }
  }
  return { line: 1, column: 1 }
}
