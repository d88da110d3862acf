/**
 * Rule `unit-number-missing`: a unit whose number is missing ("rose by
 * percent", "cost $ million", "at km per hour"). Only words that never
 * stand before a bare unit are read as the gap's left side, so "a million
 * readers" and "millions of miles" pass.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

const before = String.raw`(?:by|of|to|from|about|around|nearly|almost|roughly|over|under|than|approximately|only|just|at|up|down|fell|rose|grew|dropped)`
const unit = String.raw`(?:percent|per cent|%|percentage points?|million|billion|trillion|km|kg|cm|mm|mph|km/h|kWh|MW|GW)`
const patterns = [
  new RegExp(String.raw`(?<![\p{L}\p{N}])${before}[ \u00A0]+(${unit})(?![\p{L}\p{N}])`, 'giu'),
  /[$£€¥][ \u00A0]?(million|billion|trillion|thousand|bn)(?![\p{L}\p{N}])/giu,
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
