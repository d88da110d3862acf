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
import { SKIP, visit } from 'unist-util-visit'
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
  return function (tree: Root) {
    visit(tree, (node, index, parent) => {
      if (node.type === 'link' || node.type === 'linkReference' || node.type === 'code' || node.type === 'html') return SKIP
      if (node.type !== 'text' || !parent || index === undefined) return
      const replaced = splitText(node)
      if (!replaced) return
      ;(parent as Parent).children.splice(index, 1, ...(replaced as PhrasingContent[]))
      return index + replaced.length
    })
  }
}

function splitText(node: Text): PhrasingContent[] | undefined {
  const value = node.value
  const out: PhrasingContent[] = []
  let last = 0
  pattern.lastIndex = 0
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    const citation = toCitation(match)
    if (!citation) continue
    if (match.index > last) out.push(slice(node, last, match.index))
    const position = positionAt(node, match.index, match.index + match[0].length)
    out.push(position ? { ...citation, position } : citation)
    last = match.index + match[0].length
  }
  if (out.length === 0) return undefined
  if (last < value.length) out.push(slice(node, last, value.length))
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

function slice(node: Text, from: number, to: number): Text {
  const piece: Text = { type: 'text', value: node.value.slice(from, to) }
  const position = positionAt(node, from, to)
  if (position) piece.position = position
  return piece
}

/**
 * Position of a slice of a text node. Exact for text without escapes or
 * character references (which is nearly all prose); line breaks inside the
 * node are followed.
 */
function positionAt(node: Text, from: number, to: number) {
  const start = node.position?.start
  if (!start) return undefined
  const at = (index: number) => {
    const before = node.value.slice(0, index)
    const lines = before.split('\n')
    const line = start.line + lines.length - 1
    const column = lines.length === 1 ? start.column + index : lines.at(-1)!.length + 1
    return { line, column, ...(lines.length === 1 && start.offset !== undefined ? { offset: start.offset + index } : {}) }
  }
  return { start: at(from), end: at(to) }
}
