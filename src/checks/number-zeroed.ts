/**
 * Rule `number-zeroed`: a count written only as zeros ("000 million",
 * "0,000 people", "00 percent"): the digits before them were lost in a
 * paste or a find-and-replace. One zero ("0 casualties"), decimals
 * ("0.5 percent", "0.0"), groups of a larger number ("10 000 hommes"),
 * decades ("the '00s") and times ("0000 hours", "00 h 30") pass.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { matchesIn, proseSegments, reportSpan } from './prose.ts'

// Not the end of a grouped number (10 000, 10,000), a decade ('00s), a time (10:00, 0000 hours, 00 h 30).
const zeroed =
  /(?<![\p{N}.,:\/\-\u00A0\u202F'’])(?<!\p{N}[ \u00A0\u202F])(?:00+|0{1,3}(?:[,\u00A0\u202F]000)+)(?![\p{N}]|[.,]\p{N}|[ \u00A0\u202F]\p{N})(?![ \u00A0\u202F]?(?:h\b|hours?\b|hrs\b|GMT|UTC))(?=[ \u00A0\u202F]?(?:%|\p{L}))/gu

export function remarkNumberZeroed() {
  return function (tree: Root, file: VFile) {
    for (const { match, start, end } of matchesIn(proseSegments(tree, file), zeroed)) {
      reportSpan(file, 'number-zeroed', `Unexpected number \`${match[0]}\`: a count written only as zeros. Its first digits are missing; fill them in`, start, end)
    }
  }
}
