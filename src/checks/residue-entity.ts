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
        const meant = windows1252(name)
        if (meant) {
          reportSpan(file, 'residue-entity', `Unexpected \`${written}\`: a Windows-1252 code, not a Unicode character, so it prints as “\uFFFD”. Type \`${meant}\`, which it meant`, start, end)
          continue
        }
        reason = `Unexpected HTML entity \`${written}\` in the text: pasted from a web page? Type the character it stands for${name.toLowerCase() === 'nbsp' ? ' (a no-break space is typed as itself, or as a plain space)' : ''}`
      }
      reportSpan(file, 'residue-entity', reason, start, end)
    }
  }
}

/** Windows-1252's characters for 0x80–0x9F (Node's decoder reads that label as Latin-1); U+FFFD where it has none. */
const cp1252 =
  '\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFD\u017D\uFFFD' +
  '\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFD\u017E\u0178'

/** `&#146;` → `’`: what a numeric reference in 128–159 meant in the Windows code page it was pasted from. */
function windows1252(name: string): string | undefined {
  if (!name.startsWith('#')) return undefined
  const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
  const char = code >= 128 && code <= 159 ? cp1252[code - 128] : undefined
  return char && char !== '\uFFFD' ? char : undefined
}
