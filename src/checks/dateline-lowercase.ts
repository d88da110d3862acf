/**
 * Rule `dateline-lowercase`: the text after a dateline starts in lower case
 * ("Vienna, May 1961. the rain had not stopped"): a sentence starts there,
 * or the dateline was read from what was meant as one sentence.
 */
import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { reportSpan } from './prose.ts'

export function remarkDatelineLowercase() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    visit(tree, 'dateline', (node) => {
      const end = node.position?.end.offset
      if (end === undefined) return
      const rest = /^[ \t]+([\p{P}]*)(\p{Ll}[\p{L}\p{M}'’-]*)/u.exec(source.slice(end, end + 80))
      if (!rest) return
      const start = end + rest[0].length - rest[2]!.length
      reportSpan(file, 'dateline-lowercase', `Unexpected lower case \`${rest[2]}\` after the dateline: start the scene’s first sentence with a capital`, start, start + rest[2]!.length)
    })
  }
}
