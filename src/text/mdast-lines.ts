/**
 * Line-level surgery on mdast paragraphs: split a paragraph at its source
 * line endings while keeping exact positions, so diagnostics on the pieces
 * still point at the right line and column.
 */
import type { Paragraph, PhrasingContent, Text } from 'mdast'
import type { Point, Position } from 'unist'
import type { VFile } from 'vfile'
import { decodeNamedCharacterReference } from 'decode-named-character-reference'
import { location } from 'vfile-location'

/** Source lines and offset lookup for one file, computed once per file. */
export interface SourceLines {
  lines: string[]
  toOffset(point: { line: number; column: number }): number | undefined
  toPoint(offset: number): Point | undefined
}

const cache = new WeakMap<VFile, SourceLines>()

/** The lines of `file` (without line endings) and an offset lookup. */
export function sourceLines(file: VFile): SourceLines {
  let found = cache.get(file)
  if (!found) {
    const text = String(file.value)
    const place = location(text)
    found = {
      lines: text.split(/\r\n|\r|\n/),
      toOffset: (point) => place.toOffset(point),
      toPoint: (offset) => {
        const point = place.toPoint(offset)
        return point ? { line: point.line, column: point.column, offset } : undefined
      },
    }
    cache.set(file, found)
  }
  return found
}

/**
 * The phrasing content of `paragraph`, one group per source line. Splits at
 * line endings in direct text children and at hard breaks; a line ending
 * inside emphasis or a link stays where it is (such a construct spans lines
 * on purpose).
 */
export function paragraphLines(paragraph: Paragraph, file: VFile): PhrasingContent[][] {
  const source = sourceLines(file)
  const groups: PhrasingContent[][] = [[]]
  for (const child of paragraph.children) {
    if (child.type === 'break') {
      groups.push([])
      continue
    }
    if (child.type !== 'text' || !child.value.includes('\n')) {
      groups.at(-1)!.push(child)
      continue
    }
    const parts = child.value.split('\n')
    const start = child.position?.start
    parts.forEach((value, index) => {
      if (index > 0) groups.push([])
      if (value === '') return
      const piece: Text = { type: 'text', value }
      if (start && child.position) {
        const line = start.line + index
        const text = source.lines[line - 1] ?? ''
        const begin: Point = index === 0 ? start : point(source, line, text.length - text.trimStart().length + 1)
        const end: Point = index === parts.length - 1 ? child.position.end : point(source, line, text.trimEnd().length + 1)
        piece.position = { start: begin, end }
      }
      groups.at(-1)!.push(piece)
    })
  }
  return groups.filter((group) => group.length > 0)
}

/** A paragraph made of `children`, positioned from its first to its last child. */
export function paragraphOf(children: PhrasingContent[]): Paragraph {
  const node: Paragraph = { type: 'paragraph', children }
  const position = span(children)
  if (position) node.position = position
  return node
}

/** Join line groups back into one paragraph's children, with soft line endings. */
export function joinLines(groups: PhrasingContent[][]): PhrasingContent[] {
  const out: PhrasingContent[] = []
  groups.forEach((group, index) => {
    if (index > 0) out.push({ type: 'text', value: '\n' })
    out.push(...group)
  })
  // Merge neighbouring text nodes so later plugins see whole runs of text.
  const merged: PhrasingContent[] = []
  for (const node of out) {
    const last = merged.at(-1)
    if (last && last.type === 'text' && node.type === 'text') {
      const joined: Text = { type: 'text', value: last.value + node.value }
      const position = span([last, node])
      if (position) joined.position = position
      merged[merged.length - 1] = joined
    } else merged.push(node)
  }
  return merged
}

/** The position from the first positioned node's start to the last one's end. */
export function span(nodes: { position?: Position | undefined }[]): Position | undefined {
  const first = nodes.find((node) => node.position)?.position
  const last = nodes.findLast((node) => node.position)?.position
  return first && last ? { start: first.start, end: last.end } : undefined
}

function point(source: SourceLines, line: number, column: number): Point {
  const offset = source.toOffset({ line, column })
  return offset === undefined ? { line, column } : { line, column, offset }
}

const reference = /&(#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{0,31});/iy

/**
 * For each index of a text node's value (and one past its end), the offset
 * in the source it came from: escapes (`\*`), character references
 * (`&amp;`), CRLF, the spaces around a soft line break and the markers that
 * open continuation lines in quotes and lists all differ between the two.
 * Undefined when the node has no offsets or the source cannot be matched.
 */
export function valueOffsets(value: string, file: VFile, position: Position | undefined, decode: (reference: string) => string | false = decodeReference): number[] | undefined {
  const start = position?.start.offset
  const end = position?.end.offset
  if (start === undefined || end === undefined) return undefined
  const raw = String(file.value).slice(start, end)
  if (raw === value) return Array.from({ length: value.length + 1 }, (_, index) => start + index)
  const map: number[] = []
  let i = 0
  let j = 0
  while (i < value.length) {
    const want = value[i]!
    const got = raw[j]
    if (got === undefined) return undefined
    // A reference first: `&amp;` starts with the `&` it stands for.
    if (got === '&') {
      reference.lastIndex = j
      const match = reference.exec(raw)
      const decoded = match ? decode(match[1]!) : false
      if (match && decoded && value.startsWith(decoded, i)) {
        for (let k = 0; k < decoded.length; k++) map.push(start + j)
        i += decoded.length
        j += match[0].length
        continue
      }
    }
    // An escape before a plain character: `\\[` is `\[`, so the first backslash is the escape's.
    if (got === '\\' && raw[j + 1] === want && /[!-/:-@[-`{-~]/.test(want)) {
      map.push(start + j)
      i++
      j += 2
      continue
    }
    if (got === want) {
      map.push(start + j)
      i++
      j++
      continue
    }
    // CRLF, spaces before a line break, and a continuation line's indentation or `>`.
    if ((got === '\r' && want === '\n') || ((got === ' ' || got === '\t') && want === '\n') || (value[i - 1] === '\n' && (got === ' ' || got === '\t' || got === '>'))) {
      j++
      continue
    }
    return undefined
  }
  map.push(start + raw.length)
  return map
}

/** What a character reference's name (`amp`, `#8217`, `#x2019`) decodes to, as micromark decodes it. */
export function decodeReference(name: string): string | false {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
    // As micromark decodes them: controls, surrogates and noncharacters become U+FFFD (`&#146;` from Windows-1252 pastes).
    const replaced =
      code < 9 || code === 11 || (code > 13 && code < 32) || (code > 126 && code < 160) || (code > 55295 && code < 57344) ||
      (code > 64975 && code < 65008) || (code & 65535) === 65535 || (code & 65535) === 65534 || code > 1114111
    return replaced ? '\uFFFD' : String.fromCodePoint(code)
  }
  return decodeNamedCharacterReference(name)
}

/**
 * The source span `[start, end)` of `value.slice(from, to)`, from the
 * offsets of `valueOffsets`: the end is just past the last character as
 * written (`&amp;` is 5 long, `\\*` 2).
 */
export function sourceSpan(offsets: number[], source: string, value: string, from: number, to: number): [number, number] {
  const start = offsets[from]!
  if (to <= from) return [start, start]
  const last = offsets[to - 1]!
  let length = 1
  // An escape (`\\*`, `\\\\`), not a backslash standing for itself (`C:\\a`).
  if (source[last] === '\\' && (value[to - 1] !== '\\' || source[last + 1] === '\\')) length = 2
  else if (source[last] === '&') {
    reference.lastIndex = last
    length = reference.exec(source)?.[0].length ?? 1
  }
  return [start, last + length]
}
