/**
 * Rule `residue-hashtags`: runs of hashtags and cashtags (`#Topic $TICK
 * #Other`) pasted with a post. One tag alone is prose ("the #MeToo
 * movement"), and quoted matter is left alone (a tweet quoted in a block
 * quote keeps its tags). `--fix` removes a run that ends its paragraph
 * after a full sentence, or fills a paragraph at the chapter's end.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { quote } from './prose.ts'
import { authorSegments, reportResidueRuns, tagRun } from './residue.ts'

export function remarkResidueHashtags() {
  return function (tree: Root, file: VFile) {
    reportResidueRuns(tree, file, authorSegments(tree, file), tagRun, 'residue-hashtags', (run) => `Unexpected hashtags ${quote(run)}: pasted from a post? Remove them, or quote the post in a block quote (\`> \`)`)
  }
}
