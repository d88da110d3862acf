/**
 * Rule `spaces-doubled`: two or more spaces between words, a typewriter
 * habit after full stops. Browsers collapse them, but they break searches
 * and diffs; `--fix` makes them one. Spaces at a line's end (a Markdown
 * hard break) and indentation are left alone.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

const doubled = /(?<=[^\s\u0000])[ ]{2,}(?=[^\s\u0000])/g

export function remarkSpacesDoubled() {
  return function (tree: Root, file: VFile) {
    for (const { match, start, end } of matchesIn(proseSegments(tree, file), doubled)) {
      reportSpan(file, 'spaces-doubled', `Unexpected ${match[0].length} spaces: use one`, start, end, { text: ' ', description: 'collapsed to one space' })
    }
  }
}
