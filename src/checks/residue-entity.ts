/**
 * Rule `residue-entity`: HTML entities in the prose, copied from a page's
 * source or a feed. `&nbsp;` and `&#8217;` become characters nobody can see
 * in the manuscript; an entity escaped twice (`&amp;nbsp;`) or without its
 * semicolon (`&nbsp `) is printed as those very letters. `&amp;`, `&lt;`
 * and `&gt;` are the Markdown ways of writing `&`, `<` and `>`, and pass.
 */
import type { Root } from 'mdast'
import { decodeNamedCharacterReference } from 'decode-named-character-reference'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

const entity = /&(amp;)?(#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{1,31})(;?)/gi
const escapes = new Set(['amp', 'lt', 'gt'])

export function remarkResidueEntity() {
  return function (tree: Root, file: VFile) {
    for (const { match, start, end } of matchesIn(proseSegments(tree, file), entity)) {
      const [written, doubled, name, semicolon] = match as unknown as [string, string | undefined, string, string]
      const numeric = name.startsWith('#')
      const known = numeric || decodeNamedCharacterReference(name) !== false
      if (!known) continue
      const shown = `&${name};`
      let reason: string
      if (doubled) reason = `Unexpected \`${written}\`: an entity escaped twice, which prints as the letters \`${shown}\`. Type the character it stands for`
      else if (!semicolon) {
        // `&copy 2020` is an entity to a browser but text to Markdown; plain words (`&c`) are not flagged.
        if (numeric || !/^(?:nbsp|amp|quot|apos|lt|gt|mdash|ndash|hellip|rsquo|lsquo|rdquo|ldquo|copy|eacute)$/i.test(name)) continue
        reason = `Unexpected \`${written}\`: an HTML entity without its semicolon, which prints as those letters. Type the character it stands for`
      } else {
        if (escapes.has(name.toLowerCase())) continue
        reason = `Unexpected HTML entity \`${written}\` in the text: pasted from a web page? Type the character it stands for${name.toLowerCase() === 'nbsp' ? ' (a no-break space is typed as itself, or as a plain space)' : ''}`
      }
      reportSpan(file, 'residue-entity', reason, start, end)
    }
  }
}
