/**
 * Rule `residue-share-line`: a web page's calls to action ("Share this
 * article", "Follow us on …", "Click here to subscribe") pasted as a line
 * of the text. Only a whole line counts: "click here" inside a sentence is
 * the author's. `--fix` removes such lines from the chapter's end when
 * each is a paragraph of its own (a line inside a hard-wrapped paragraph
 * is only reported, and not when it ends with a full stop).
 */
import type { Paragraph, Root } from 'mdast'
import { visitParents } from 'unist-util-visit-parents'
import type { VFile } from 'vfile'
import { quote, reportSpan } from './prose.ts'
import { residueRemoval, shareLine } from './residue.ts'

export function remarkResidueShareLine() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    visitParents(tree, 'paragraph', (node: Paragraph, ancestors) => {
      if (ancestors.some((ancestor) => ancestor.type === 'blockquote')) return
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      if (start === undefined || end === undefined) return
      let offset = start
      const lines = source.slice(start, end).split(/(?<=\n)/)
      for (const line of lines) {
        const content = line.replace(/^[ \t>]*/, '').trimEnd()
        const from = offset + (line.length - line.trimStart().length)
        offset += line.length
        // Inside a hard-wrapped paragraph, "Read more." on a line of its own may be the author's sentence.
        if (!shareLine.test(content) || (lines.length > 1 && /\.$/.test(content))) continue
        const to = from + content.length
        const removal = lines.length > 1 ? undefined : residueRemoval(tree, file, { start: from, text: content, block: node, quoted: false }, from, to)
        reportSpan(
          file,
          'residue-share-line',
          `Unexpected ${quote(content)}: a web page’s call to action pasted with the text. Remove the line`,
          from,
          to,
          removal && { ...removal, text: '', description: `removed ${quote(content)}` },
        )
      }
    })
  }
}
