/**
 * Rule `unit-number-missing`: a unit whose number is missing ("rose by
 * percent", "cost $ million", "at km per hour"). Only words that never
 * stand before a bare unit are read as the gap's left side, so "a million
 * readers" and "millions of miles" pass.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

const words = ['by', 'of', 'to', 'from', 'about', 'around', 'nearly', 'almost', 'roughly', 'over', 'under', 'than', 'approximately', 'only', 'just', 'at', 'up', 'down', 'fell', 'rose', 'grew', 'dropped']
const before = `(?:${words.join('|')})`
/** The same words as written at a sentence's start too, for the case-sensitive pattern. */
const beforeAnyCase = `(?:${words.flatMap((word) => [word, word[0]!.toUpperCase() + word.slice(1)]).join('|')})`
const unit = String.raw`(?:percent|per cent|%|percentage points?|million|billion|trillion)`
// Abbreviations are matched as written: "of GW" (initials) or "MM. Dupont" are not units.
const abbreviation = String.raw`(?:km|kg|cm|mm|mph|km/h)`
const end = String.raw`(?![\p{L}\p{N}-])`
const patterns = [
  new RegExp(String.raw`(?<![\p{L}\p{N}])${before}[ \u00A0]+(${unit})${end}`, 'giu'),
  new RegExp(String.raw`(?<![\p{L}\p{N}])${beforeAnyCase}[ \u00A0]+(${abbreviation})${end}`, 'gu'),
  new RegExp(String.raw`[$£€¥][ \u00A0]?(million|billion|trillion|thousand|bn)${end}`, 'giu'),
]

export function remarkUnitNumberMissing() {
  return function (tree: Root, file: VFile) {
    const segments = proseSegments(tree, file)
    for (const pattern of patterns) {
      for (const { match, start, end } of matchesIn(segments, pattern)) {
        const unitStart = start + match[0].length - match[1]!.length
        const from = match[0].startsWith('$') || /^[£€¥]/.test(match[0]) ? start : unitStart
        reportSpan(file, 'unit-number-missing', `Unexpected \`${match[0]}\`: the number before \`${match[1]}\` is missing. Fill it in`, from, end)
      }
    }
  }
}
