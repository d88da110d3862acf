/**
 * Rule `glyph-missing`: characters that no shipped face can draw (Chinese
 * and Japanese, most symbols and emoji). The PDF shows each as an empty
 * box rather than borrow a font from the machine that builds it, so the
 * author hears about it here first. Korean, Latin, Greek, Cyrillic and
 * Vietnamese are covered (Literata, Gowun Batang, Noto Sans Mono for code).
 */
import type { Root } from 'mdast'
import type { Point } from 'unist'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { missingRuns } from '../fonts/coverage.ts'
import { report } from './rules.ts'

const emojiOnly = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\uFE0F\u200D\s]+$/u

export function remarkGlyphMissing() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    visit(tree, (node) => {
      if (node.type !== 'text' && node.type !== 'inlineCode' && node.type !== 'code') return
      // Emoji in prose are reported by `residue-emoji`, with what to do about them.
      const runs = missingRuns(node.value, node.type !== 'text').filter((run) => node.type !== 'text' || !emojiOnly.test(run.text))
      if (runs.length === 0) return
      const start = node.position?.start
      const end = node.position?.end
      // Offsets inside the node are exact only when its text is the source as written.
      const verbatim = start?.offset !== undefined && end?.offset !== undefined && source.slice(start.offset, end.offset) === node.value
      for (const run of runs) {
        const codes = [...run.text].map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')
        const reason = `Unexpected \`${run.text}\` (${codes}): no font Quire ships can draw ${[...run.text].length > 1 ? 'these characters' : 'this character'}, so the PDF shows an empty box. Quire prints Latin, Greek, Cyrillic, Vietnamese and Korean; replace the text or set it as an image`
        const place = verbatim && start ? { start: shift(start, source, run.start), end: shift(start, source, run.end) } : node.position
        report(file, 'glyph-missing', reason, place)
      }
    })
  }
}

/** The point `by` UTF-16 units after `start`, counting line breaks in the source. */
function shift(start: Point, source: string, by: number): Point {
  let { line, column } = start
  const offset = start.offset!
  for (let index = offset; index < offset + by; index++) {
    if (source[index] === '\n') {
      line++
      column = 1
    } else column++
  }
  return { line, column, offset: offset + by }
}
