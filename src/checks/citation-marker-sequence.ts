/**
 * Chapter-local markers are numbered 1, 2, 3 … in reading order. A skipped
 * number usually means a lost citation; a repeated one, a copy-and-paste slip.
 */
import type { VFile } from 'vfile'
import type { ChapterFacts } from '../model/types.ts'
import { report } from '../diagnostics/rules.ts'

export function checkMarkerSequence(chapter: ChapterFacts, file: VFile): void {
  const first = new Map<number, { start: { line: number; column: number } }>()
  let highest = 0
  for (const citation of chapter.citations) {
    if (citation.kind !== 'marker' || citation.marker === undefined) continue
    const n = citation.marker
    const place = { start: { line: citation.line, column: citation.column }, end: { line: citation.endLine, column: citation.endColumn } }
    const seen = first.get(n)
    if (seen) {
      report(file, 'citation-marker-sequence', `Marker \`${citation.raw}\` repeats number ${n} (first at ${seen.start.line}:${seen.start.column}): give each marker its own number, in order`, place)
      continue
    }
    first.set(n, place)
    if (n > highest + 1) {
      const missing = n === highest + 2 ? `${highest + 1}` : `${highest + 1}–${n - 1}`
      report(file, 'citation-marker-sequence', `Marker \`${citation.raw}\` skips ${missing}: markers run 1, 2, 3 … in each chapter. Renumber them, or check for a lost citation`, place)
    }
    highest = Math.max(highest, n)
  }
}
