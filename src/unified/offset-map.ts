/**
 * Parse a text with lines inserted, keep the manuscript's positions. The
 * blank lines `block-ends.ts` plans are spliced into the text the parser
 * reads; afterwards every node's position is mapped back to the chapter file
 * as written, so diagnostics and source spans point at the author's lines.
 */
import type { Node, Point } from 'unist'
import { visit } from 'unist-util-visit'
import { location } from 'vfile-location'
import type { BlankLine } from './block-ends.ts'

/** A text with lines inserted, and the way back from its offsets to the original's. */
export interface Spliced {
  text: string
  /** The offset in the original text of offset `offset` in `text` (an inserted character maps to where it was inserted). */
  toSource(offset: number): number
}

/** Insert each blank line (its prefix and a line feed) at the start of its source line. */
export function spliceLines(source: string, blanks: BlankLine[]): Spliced {
  const starts = [0]
  for (const match of source.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length)
  const sorted = [...blanks].sort((a, b) => a.line - b.line)
  const at: number[] = []
  const insertedAt: number[] = []
  const lengths: number[] = []
  const pieces: string[] = []
  let last = 0
  let shift = 0
  for (const blank of sorted) {
    const offset = starts[blank.line]!
    const text = `${blank.prefix}\n`
    pieces.push(source.slice(last, offset), text)
    at.push(offset)
    insertedAt.push(offset + shift)
    lengths.push(text.length)
    shift += text.length
    last = offset
  }
  pieces.push(source.slice(last))
  return {
    text: pieces.join(''),
    toSource(offset) {
      // The last insertion starting at or before `offset`.
      let low = 0
      let high = insertedAt.length - 1
      let found = -1
      while (low <= high) {
        const middle = (low + high) >> 1
        if (insertedAt[middle]! <= offset) {
          found = middle
          low = middle + 1
        } else high = middle - 1
      }
      if (found < 0) return offset
      const end = insertedAt[found]! + lengths[found]!
      if (offset < end) return at[found]!
      return offset - (end - at[found]!)
    },
  }
}

/** Map every position in `tree` from the spliced text back to `source`. */
export function mapPositions(tree: Node, source: string, spliced: Spliced): void {
  const place = location(source)
  const map = (point: Point): Point => {
    if (point.offset === undefined) return point
    const offset = spliced.toSource(point.offset)
    const mapped = place.toPoint(offset)
    return mapped ? { line: mapped.line, column: mapped.column, offset } : point
  }
  visit(tree, (node) => {
    if (node.position) node.position = { start: map(node.position.start), end: map(node.position.end) }
  })
}
