/**
 * Rule `placeholder`: the marks writers leave for themselves: `TK` / `TKTK`
 * ("to come"), `XX` for a figure not yet found (`19XX`, `$XX million`),
 * `???` where a word should be (not "What???"), and `[citation ?]`. `XX`
 * before a capitalized word or after a name is a Roman numeral (the XX
 * Party Congress, Pius XX) and passes, as do XX chromosomes.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

const patterns: { pattern: RegExp; what: string }[] = [
  { pattern: /\[\s*citations?\s*(?:\?+|TK|XX+|tbd|)\s*\]/giu, what: 'an unfinished citation marker' },
  { pattern: /(?<![\p{L}\p{N}])(?:TK)+(?![\p{L}\p{N}])/gu, what: 'TK (“to come”)' },
  { pattern: /(?<![\p{L}])X{2,3}(?![\p{L}])/gu, what: 'a figure not filled in' },
  // Not "What???": only question marks that stand where a word should.
  { pattern: /(?<![\p{L}\p{N}!?])\?{3,}/gu, what: 'question marks standing in for something' },
]

export function remarkPlaceholder() {
  return function (tree: Root, file: VFile) {
    const segments = proseSegments(tree, file)
    const taken: [number, number][] = []
    for (const { pattern, what } of patterns) {
      for (const { segment, match, start, end } of matchesIn(segments, pattern)) {
        if (taken.some(([from, to]) => start < to && end > from)) continue
        if (match[0].startsWith('X') && romanNumeral(segment.text, match.index, match[0].length)) continue
        // A quoted post may ask "???"; a TK there is still the author's.
        if (match[0].startsWith('?') && segment.quoted) continue
        taken.push([start, end])
        reportSpan(file, 'placeholder', `Unexpected placeholder \`${match[0]}\`: ${what} left in the text. Fill it in before the book goes out`, start, end)
      }
    }
  }
}

/** `XX` used as a number: before a capitalized word, or after one (a name), or with an ordinal. */
function romanNumeral(text: string, index: number, length: number): boolean {
  const before = text.slice(0, index)
  const after = text.slice(index + length)
  if (/\d$/.test(before) || /^\d/.test(after)) return false
  return /^[ \u00A0]+\p{Lu}/u.test(after) || /\p{Lu}\p{Ll}+[ \u00A0]+$/u.test(before) || /^(?:th|e|st)\b/.test(after) || /^[ \u00A0-]chromosome/.test(after)
}
