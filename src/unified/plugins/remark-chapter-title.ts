/**
 * A `# Title` heading that opens a chapter is the chapter's title, not body
 * text: record it in `file.data.titleHeading` and remove it, because every
 * edition sets the chapter title itself. `# 7. Title` and
 * `# Chapter 7: Title` also give the chapter's number.
 */
import type { Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { VFile } from 'vfile'

// "Chapter 7 Title", "Chapter 7: Title", "7. Title", "7 — Title"; not "1984 and After".
const numbered = /^(?:chapter\s+(\d{1,4})(?:\s*[.:—–-]\s*|\s+)|(\d{1,3})\s*[.:—–]\s+)(\S.*)$/i
const numberOnly = /^chapter\s+(\d{1,4})\.?$/i

/** Take the opening `#` heading as the chapter title. */
export function remarkChapterTitle() {
  return function (tree: Root, file: VFile) {
    const first = tree.children[0]
    if (!first || first.type !== 'heading' || first.depth !== 1) return
    tree.children.shift()
    const text = toString(first).trim()
    const withNumber = numbered.exec(text)
    if (withNumber) {
      file.data.titleHeading = { text: withNumber[3]!.trim(), number: Number(withNumber[1] ?? withNumber[2]), heading: first }
      return
    }
    const only = numberOnly.exec(text)
    if (only) {
      // "# Chapter 7" gives a number; the title is guessed later from the file name.
      file.data.titleHeading = { text: '', number: Number(only[1]), heading: first }
      return
    }
    file.data.titleHeading = { text, heading: first }
  }
}
