/**
 * Attributes in braces after a link or a bracketed span, as pandoc writes
 * them: `[§ 4.2](04-ships.md#sec-4-2){.page}` asks for the page of a link's
 * target in print; `[Kim Il Sung]{.index}`, `[the Leader]{.index term="Kim
 * Il Sung" sub="titles"}`, `{.index see="Juche"}`, `{.index see-also=…}`
 * and `{.index range=start}` … `{.index range=end term=…}` mark words for
 * the index (book-index.ts).
 *
 * Runs before typography, so the quotes of attribute values are not curled.
 * Only these two classes are read; braces after anything else, or braces
 * that do not parse, stay text. A block with an unknown class or key is
 * reported (`attribute-unknown`) and left as text, so nothing the author
 * wrote disappears.
 */
import type { Link, Parent, PhrasingContent, Root, Text } from 'mdast'
import type { Point } from 'unist'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'
import type { IndexMark } from '../types.ts'

/** `{` then classes, ids and key=value pairs, then `}`. */
const BLOCK = /^\{((?:\s*(?:\.[\w-]+|#[\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s"'}]+)))+)\s*\}/
const PART = /\.([\w-]+)|#([\w-]+)|([\w-]+)=(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'}]+))/g

interface Attributes {
  classes: string[]
  values: Record<string, string>
  /** Characters the block takes in the text. */
  length: number
}

function parseBlock(text: string): Attributes | undefined {
  const match = BLOCK.exec(text)
  if (!match) return undefined
  const classes: string[] = []
  const values: Record<string, string> = {}
  for (const part of match[1]!.matchAll(PART)) {
    if (part[1]) classes.push(part[1])
    else if (part[2]) values.id = part[2]
    else values[part[3]!] = part[4] ?? part[5] ?? part[6] ?? ''
  }
  return { classes, values, length: match[0].length }
}

const INDEX_KEYS = new Set(['term', 'sub', 'see', 'see-also', 'range'])

/** Why a block cannot be used as written, or undefined. */
function problem(attributes: Attributes, on: 'link' | 'span'): string | undefined {
  const known = on === 'link' ? ['page'] : ['index']
  const unknown = attributes.classes.filter((name) => !known.includes(name))
  if (unknown.length > 0 || attributes.classes.length === 0) return `Quire reads {.${known.join('} or {.')}} after ${on === 'link' ? 'a link' : '[words]'}, not ${unknown.length > 0 ? `.${unknown.join(', .')}` : 'these attributes'}`
  if (on === 'link') return Object.keys(attributes.values).length > 0 ? 'A {.page} link takes no other attributes' : undefined
  const keys = Object.keys(attributes.values).filter((name) => !INDEX_KEYS.has(name))
  if (keys.length > 0) return `An index mark takes term, sub, see, see-also and range, not ${keys.join(', ')}`
  const range = attributes.values.range
  if (range !== undefined && range !== 'start' && range !== 'end') return `range is start or end, not "${range}"`
  return undefined
}

export function remarkAttributes() {
  return function (tree: Root, file: VFile) {
    visit(tree, (node) => {
      if (node.type === 'code' || node.type === 'inlineCode' || node.type === 'html') return SKIP
      if (!('children' in node)) return
      const parent = node as Parent
      for (let index = 0; index < parent.children.length; index++) {
        const child = parent.children[index]!
        const next = parent.children[index + 1]
        // A link followed by `{.page}`.
        if (child.type === 'link' && next?.type === 'text' && next.value.startsWith('{')) {
          const attributes = parseBlock(next.value)
          if (!attributes) continue
          const why = problem(attributes, 'link')
          if (why) {
            const start = pointAt(next, 0)
            const end = pointAt(next, attributes.length)
            report(file, 'attribute-unknown', `${why}; the braces are left as text`, start && end ? { start, end } : next)
            continue
          }
          const link = child as Link
          link.data = { ...link.data, pageReference: true, hProperties: { ...link.data?.hProperties, className: ['page-ref'] } }
          trimStart(next, attributes.length)
          if (next.value === '') parent.children.splice(index + 1, 1)
          continue
        }
        // `]{…}` closing a span opened by a `[` earlier among the siblings.
        if (child.type !== 'text') continue
        let at = child.value.indexOf(']{')
        while (at >= 0) {
          const attributes = parseBlock(child.value.slice(at + 1))
          const open = attributes ? findOpening(parent.children, index, at) : undefined
          if (attributes && open) {
            const why = problem(attributes, 'span')
            if (why) {
              const start = pointAt(child, at + 1)
              const end = pointAt(child, at + 1 + attributes.length)
              report(file, 'attribute-unknown', `${why}; the brackets and braces are left as text`, start && end ? { start, end } : child)
            } else {
              const replaced = wrapSpan(parent, open, { index, offset: at }, attributes)
              // Go on after the span.
              index = replaced - 1
              break
            }
          }
          at = child.value.indexOf(']{', at + 1)
        }
      }
    })
  }
}

/** The `[` opening a span that `]` at (`index`, `offset`) closes: in the same text before it, or in an earlier sibling text. */
function findOpening(children: PhrasingContent[] | Parent['children'], index: number, offset: number): { index: number; offset: number } | undefined {
  for (let at = index; at >= 0; at--) {
    const node = children[at]!
    if (node.type !== 'text') continue
    const text = at === index ? node.value.slice(0, offset) : node.value
    const open = text.lastIndexOf('[')
    // The nearest `[` not already closed by a `]` after it.
    if (open >= 0 && !text.slice(open).includes(']')) return { index: at, offset: open }
    if (text.includes(']')) return undefined
  }
  return undefined
}

/** Replace `[` … `]{…}` with an index mark holding what was between. Returns the index after it. */
function wrapSpan(parent: Parent, open: { index: number; offset: number }, close: { index: number; offset: number }, attributes: Attributes): number {
  const children = parent.children as PhrasingContent[]
  const first = children[open.index] as Text
  const last = children[close.index] as Text
  const before = first.value.slice(0, open.offset)
  const after = last.value.slice(close.offset + 1 + attributes.length)
  let inner: PhrasingContent[]
  if (open.index === close.index) {
    inner = [{ type: 'text', value: first.value.slice(open.offset + 1, close.offset) }]
  } else {
    inner = [{ type: 'text', value: first.value.slice(open.offset + 1) }, ...children.slice(open.index + 1, close.index), { type: 'text', value: last.value.slice(0, close.offset) }]
  }
  inner = inner.filter((node) => node.type !== 'text' || node.value !== '')
  const { term, sub, see, range } = attributes.values
  const mark: IndexMark = {
    type: 'indexMark',
    children: inner,
    ...(term !== undefined ? { term } : {}),
    ...(sub !== undefined ? { sub } : {}),
    ...(see !== undefined ? { see } : {}),
    ...(attributes.values['see-also'] !== undefined ? { seeAlso: attributes.values['see-also'] } : {}),
    ...(range === 'start' || range === 'end' ? { range } : {}),
  }
  const end = close.offset + 1 + attributes.length
  const markStart = pointAt(first, open.offset)
  const markEnd = pointAt(last, end)
  if (markStart && markEnd) mark.position = { start: markStart, end: markEnd }
  const piece = (value: string, from: Point | undefined, to: Point | undefined): Text => ({ type: 'text', value, ...(from && to ? { position: { start: from, end: to } } : {}) })
  const replacement: PhrasingContent[] = [
    ...(before ? [piece(before, first.position?.start, markStart)] : []),
    mark,
    ...(after ? [piece(after, markEnd, last.position?.end)] : []),
  ]
  children.splice(open.index, close.index - open.index + 1, ...replacement)
  return open.index + replacement.length - (after ? 1 : 0)
}

/** Where the character at `index` of a text node's value is in the source (exact when the text has no escapes). */
function pointAt(node: Text, index: number): Point | undefined {
  const start = node.position?.start
  if (!start) return undefined
  const lines = node.value.slice(0, index).split('\n')
  return {
    line: start.line + lines.length - 1,
    column: lines.length === 1 ? start.column + index : lines.at(-1)!.length + 1,
    ...(start.offset !== undefined ? { offset: start.offset + index } : {}),
  }
}

function trimStart(node: Text, length: number): void {
  node.value = node.value.slice(length)
  if (node.position) node.position.start = { ...node.position.start, column: node.position.start.column + length, ...(node.position.start.offset !== undefined ? { offset: node.position.start.offset + length } : {}) }
}
