/**
 * Parse citation markers into `citation` nodes; resolving them against the
 * bibliography is a separate, later pass (as pandoc separates parsing from
 * `processCitations`). Recognized:
 * - chapter-local markers `[citation 4]`, mapped by the chapter's front matter;
 * - Pandoc citations `[@key]`, `[@key, p. 33]`, `[see @a; -@b]`;
 * - author-in-text `@key` and `@key [p. 33]`.
 * Each node keeps its source text, so an unresolved marker stays visible.
 */
import type { Parent, PhrasingContent, Root, Text } from 'mdast'
import type { Position } from 'unist'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { sourceLines, sourceSpan, valueOffsets } from '../../text/mdast-lines.ts'
import type { CitationItem } from '../../model/types.ts'
import type { Citation } from '../types.ts'

/** A citation key: starts with a letter, digit or `_`; internal punctuation allowed. */
const key = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*`

const marker = String.raw`\[[Cc]itation\s+(\d{1,4})\]`
const bracketed = String.raw`\[([^\[\]\n]*?(?:^|[\s;\[-])?-?@${key}[^\[\]\n]*)\]`
const inText = String.raw`(?<![\p{L}\p{N}_@.\-])@(${key})(?:\s\[([^\[\]\n@]+)\])?`
const pattern = new RegExp(`${marker}|${bracketed}|${inText}`, 'gu')
const itemPattern = new RegExp(String.raw`^(.*?)(?:^|(?<=[\s\[]))(-?)@(${key})(?:\s*,\s*|\s+)?(.*)$`, 'u')

/** Parse the inside of `[ … ]` into cited items, or undefined when it is not a citation. */
export function parseCitationItems(inside: string): CitationItem[] | undefined {
  const items: CitationItem[] = []
  for (const part of inside.split(';')) {
    const match = itemPattern.exec(part.trim())
    if (!match) return undefined
    const [, prefix, dash, itemKey, rest] = match
    items.push({
      key: itemKey!,
      ...(prefix!.trim() ? { prefix: prefix!.trim() } : {}),
      ...(rest!.trim() ? { locator: rest!.trim() } : {}),
      ...(dash ? { suppressAuthor: true } : {}),
    })
  }
  return items.length > 0 ? items : undefined
}

/** Replace citation markers in text with `citation` nodes. */
export function remarkCitationMarkers() {
  return function (tree: Root, file: VFile) {
    visit(tree, (node, index, parent) => {
      if (node.type === 'link' || node.type === 'linkReference' || node.type === 'code' || node.type === 'html') return SKIP
      if (node.type !== 'text' || !parent || index === undefined) return
      const replaced = splitText(node, file)
      if (!replaced) return
      ;(parent as Parent).children.splice(index, 1, ...(replaced as PhrasingContent[]))
      return index + replaced.length
    })
  }
}

function splitText(node: Text, file: VFile): PhrasingContent[] | undefined {
  const value = node.value
  const out: PhrasingContent[] = []
  let last = 0
  let offsets: number[] | undefined | null = null
  // Source offsets are worked out only for text that holds a citation.
  const at = (from: number, to: number) => {
    if (offsets === null) offsets = valueOffsets(value, file, node.position)
    return positionAt(offsets, file, value, from, to, node.position)
  }
  pattern.lastIndex = 0
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    const citation = toCitation(match)
    if (!citation) continue
    if (match.index > last) out.push(slice(node, last, match.index, at))
    const position = at(match.index, match.index + match[0].length)
    out.push(position ? { ...citation, position } : citation)
    last = match.index + match[0].length
  }
  if (out.length === 0) return undefined
  if (last < value.length) out.push(slice(node, last, value.length, at))
  return out
}


function toCitation(match: RegExpExecArray): Citation | undefined {
  const [raw, markerNumber, inside, textKey, textLocator] = match
  if (markerNumber !== undefined) return { type: 'citation', value: raw, kind: 'marker', marker: Number(markerNumber) }
  if (inside !== undefined) {
    const items = parseCitationItems(inside)
    return items ? { type: 'citation', value: raw, kind: 'key', items } : undefined
  }
  const item: CitationItem = { key: textKey!, ...(textLocator ? { locator: textLocator.trim() } : {}) }
  return { type: 'citation', value: raw, kind: 'key', items: [item], inText: true }
}

function slice(node: Text, from: number, to: number, at: (from: number, to: number) => Position | undefined): Text {
  const piece: Text = { type: 'text', value: node.value.slice(from, to) }
  const position = at(from, to)
  if (position) piece.position = position
  return piece
}

/**
 * Position of a slice of a text node, from its source offsets (escapes,
 * references and line breaks followed). When the source cannot be matched,
 * every piece keeps the whole node's position: approximate, but still read.
 */
function positionAt(offsets: number[] | undefined, file: VFile, value: string, from: number, to: number, whole?: Position): Position | undefined {
  if (!offsets) return whole
  const lines = sourceLines(file)
  const [from_, to_] = sourceSpan(offsets, String(file.value), value, from, to)
  const start = lines.toPoint(from_)
  const end = lines.toPoint(to_)
  return start && end ? { start, end } : undefined
}

