/**
 * Rule `residue-emoji`: emoji pasted with the text. No shipped font draws
 * them (the PDF would show empty boxes), and in running prose they are
 * nearly always residue of a post. `--fix` removes a run that ends its
 * paragraph after a full sentence, or fills a paragraph at the chapter's end.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, quote, reportSpan } from './prose.ts'
import { emojiRun, residueRemoval } from './residue.ts'

export function remarkResidueEmoji() {
  return function (tree: Root, file: VFile) {
    for (const { segment, match, start, end } of matchesIn(proseSegments(tree, file), emojiRun)) {
      const removal = residueRemoval(tree, file, segment, start, end)
      reportSpan(
        file,
        'residue-emoji',
        `Unexpected emoji ${quote(match[0])}: no font Quire ships draws emoji, so the PDF shows empty boxes. Remove ${[...match[0]].length > 1 ? 'them' : 'it'}, or set the post as an image`,
        start,
        end,
        removal && { ...removal, text: '', description: `removed ${quote(match[0])}` },
      )
    }
  }
}
