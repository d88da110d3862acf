/**
 * Rule `space-before-punctuation`: a space before a comma, full stop,
 * semicolon, colon, question or exclamation mark ("the treaty , signed").
 * French sets a (thin) space before `; : ! ?`, so in a French book only
 * commas and full stops count. Spaced ellipses (". . .") pass. `--fix`
 * removes the space.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

const after = String.raw`(?=$|[\s\u0000\uE000"'”’»*_])`
const all = new RegExp(String.raw`(?<=[\p{L}\p{N}”’»)\]*_\uE000])[ \t\u00A0]+([,;:!?]|\.(?![ \t\u00A0]*\.))${after}`, 'gu')
const commaAndStop = new RegExp(String.raw`(?<=[\p{L}\p{N}”’»)\]*_\uE000])[ \t\u00A0]+([,]|\.(?![ \t\u00A0]*\.))${after}`, 'gu')

export function remarkSpaceBeforePunctuation() {
  return function (tree: Root, file: VFile) {
    const language = file.data.chapterFile?.language ?? 'en'
    const pattern = /^fr\b/i.test(language) ? commaAndStop : all
    for (const { segment, match, start, end } of matchesIn(proseSegments(tree, file), pattern)) {
      const mark = match[1]!
      // A ratio or a score, "2 : 3".
      if (mark === ':' && /\p{N}$/u.test(segment.text.slice(0, match.index)) && /^[ \t\u00A0]*\p{N}/u.test(segment.text.slice(match.index + match[0].length))) continue
      reportSpan(file, 'space-before-punctuation', `Unexpected space before \`${mark}\`: remove it`, start, end - mark.length, { end: end - mark.length, text: '', description: `removed the space before \`${mark}\`` })
    }
  }
}
