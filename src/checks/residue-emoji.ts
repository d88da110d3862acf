/**
 * Rule `residue-emoji`: emoji pasted with the text. No shipped font draws
 * them (the PDF would show empty boxes), and in running prose they are
 * nearly always residue of a post. `--fix` removes a run that ends its
 * paragraph after a full sentence, or fills a paragraph at the chapter's end.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { proseSegments, quote } from './prose.ts'
import { emojiRun, reportResidueRuns } from './residue.ts'

export function remarkResidueEmoji() {
  return function (tree: Root, file: VFile) {
    reportResidueRuns(
      tree,
      file,
      proseSegments(tree, file),
      emojiRun,
      'residue-emoji',
      (run) => `Unexpected emoji ${quote(run)}: no font Quire ships draws emoji, so the PDF shows empty boxes. Remove ${[...run].length > 1 ? 'them' : 'it'}, or set the post as an image`,
    )
  }
}
