/**
 * Rule `glyph-missing`: characters that no shipped face can draw (Chinese
 * and Japanese, most symbols and emoji). The PDF shows each as an empty
 * box rather than borrow a font from the machine that builds it, so the
 * author hears about it here first. Korean, Latin, Greek, Cyrillic and
 * Vietnamese are covered (Literata, Gowun Batang, Noto Sans Mono for code).
 */
import type { Root } from 'mdast'
import type { Position } from 'unist'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { missingRuns, type TextFaces } from '../fonts/coverage.ts'
import { sourceLines, sourceSpan, valueOffsets } from '../text/mdast-lines.ts'
import { report } from '../diagnostics/rules.ts'

const emojiOnly = /^[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\uFE0F\u200D\s]+$/u

export function remarkGlyphMissing(options: { faces?: TextFaces | undefined } = {}) {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    visit(tree, (node) => {
      if (node.type !== 'text' && node.type !== 'inlineCode' && node.type !== 'code') return
      // Emoji in prose are reported by `residue-emoji`, with what to do about them.
      const runs = missingRuns(node.value, node.type !== 'text', options.faces).filter((run) => node.type !== 'text' || !emojiOnly.test(run.text))
      if (runs.length === 0) return
      // Where each run is in the source, through escapes and character references.
      const offsets = node.type === 'text' ? valueOffsets(node.value, file, node.position) : verbatimOffsets(node.value, source, node.position)
      const lines = sourceLines(file)
      for (const run of runs) {
        const span = offsets ? sourceSpan(offsets, source, node.value, run.start, run.end) : undefined
        // `&#146;` (a Windows-1252 code) decodes to U+FFFD: `residue-entity` reports it as written.
        if (span && run.text === '\uFFFD'.repeat(run.text.length) && source[span[0]] === '&') continue
        const codes = [...run.text].map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')
        const reason = `Unexpected \`${run.text}\` (${codes}): no face the book is set in can draw ${[...run.text].length > 1 ? 'these characters' : 'this character'}, so the PDF shows an empty box. Quire prints Latin, Greek, Cyrillic, Vietnamese and Korean; replace the text or set it as an image`
        const from = span && lines.toPoint(span[0])
        const to = span && lines.toPoint(span[1])
        report(file, 'glyph-missing', reason, from && to ? { start: from, end: to } : node.position)
      }
    })
  }
}

/** Offsets of code as written (its value is the source between its offsets, or unknown). */
function verbatimOffsets(value: string, source: string, position: Position | undefined): number[] | undefined {
  const start = position?.start.offset
  const end = position?.end.offset
  if (start === undefined || end === undefined || source.slice(start, end) !== value) return undefined
  return Array.from({ length: value.length + 1 }, (_, index) => start + index)
}
