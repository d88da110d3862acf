/**
 * What the text rules read: the manuscript's prose as the author typed it.
 * Earlier plugins change text node values (curly quotes, dashes), so rules
 * read the *source* between each text node's offsets instead, and report
 * exact source spans. Code, raw HTML, front matter and URLs are not prose.
 */
import type { Parent, Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { sourceLines } from '../text/mdast-lines.ts'
import { report, type Fix, type RuleId } from '../diagnostics/rules.ts'

export interface ProseSegment {
  /** Offset in `file.value` of the block's first character. */
  start: number
  /**
   * The block's source text, as long as the source. Text is as written;
   * inline markup around it (emphasis marks, a link's URL part, code spans,
   * citations) is INLINE, so a rule sees that something stands there; URLs
   * and the markers that open continuation lines in quotes and lists
   * (`> `, indentation) are MASK, which no rule matches.
   */
  text: string
  /** The block: a paragraph, heading, table cell or figure caption. */
  block: Parent
  /** Inside a block quote (quoted matter is the source's, not the author's). */
  quoted: boolean
}

/** Stands for nothing a rule may match: URLs, line prefixes. */
const MASK = '\u0000'
/** Stands for inline markup or code next to the text: a word-like neighbour. */
const INLINE = '\uE000'

// A mail address starts after a character that cannot be in one: without that, a long token is read from every position.
const url = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"]*[^\s<>".,;:!?'")\]]|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+/g
const continuation = /(?<=\n)[ \t>]*/g
const skipped = new Set(['code', 'inlineCode', 'html', 'yaml', 'definition', 'math', 'inlineMath', 'citation', 'sectionNumber'])
const blocks = new Set(['paragraph', 'heading', 'tableCell', 'figureCaption'])
const whitespace = /\s/

const cache = new WeakMap<Root, ProseSegment[]>()

/**
 * The prose of a chapter, one segment per block, in source order; the
 * chapter's title heading (taken out of the tree) first.
 */
export function proseSegments(tree: Root, file: VFile): ProseSegment[] {
  let found = cache.get(tree)
  if (found) return found
  found = []
  const source = String(file.value)
  const seen = new Set<number>()
  const read = (block: Parent, quoted: boolean) => {
    const start = block.position?.start.offset
    const end = block.position?.end.offset
    if (start === undefined || end === undefined || seen.has(start)) return
    seen.add(start)
    const raw = source.slice(start, end)
    // Between inline nodes, spaces are the author's; anything else there is markup.
    const chars: string[] = Array.from({ length: raw.length }, (_, index) => (whitespace.test(raw[index]!) ? raw[index]! : INLINE))
    const fill = (node: RootContent, copy: boolean) => {
      const from = node.position?.start.offset
      const to = node.position?.end.offset
      if (from === undefined || to === undefined) return
      for (let index = Math.max(from, start); index < Math.min(to, end); index++) {
        const char = raw[index - start]!
        chars[index - start] = copy || char === '\n' || char === '\r' ? char : INLINE
      }
    }
    const keep = (node: RootContent) => {
      if (node.type === 'text') return fill(node, true)
      fill(node, false)
      if (skipped.has(node.type)) return
      // A bare URL made into a link: its text is the URL.
      if (node.type === 'link' && node.children.length === 1 && node.children[0]!.type === 'text' && sameAsUrl(node.children[0]!.value, node.url)) return
      if ('children' in node) for (const child of node.children as RootContent[]) keep(child)
    }
    for (const child of block.children as RootContent[]) keep(child)
    // Before the first inline node and after the last is block syntax: a heading's `#`s, a cell's pipes and padding.
    const inner = (block.children as RootContent[]).filter((child) => child.position?.start.offset !== undefined && child.position.end.offset !== undefined)
    const first = Math.min(...inner.map((child) => child.position!.start.offset!), end)
    const last = Math.max(...inner.map((child) => child.position!.end.offset!), first)
    for (let index = start; index < end; index++) if (index < first || index >= last) chars[index - start] = MASK
    found!.push({ start, text: mask(chars.join('')), block, quoted })
  }
  const walk = (node: Root | RootContent, quoted: boolean) => {
    if (skipped.has(node.type)) return
    if (blocks.has(node.type)) return read(node as Parent, quoted)
    if ('children' in node) for (const child of node.children as RootContent[]) walk(child, quoted || node.type === 'blockquote')
  }
  const title = file.data.titleHeading?.heading
  if (title) read(title, false)
  walk(tree, false)
  found.sort((a, b) => a.start - b.start)
  cache.set(tree, found)
  return found
}

function sameAsUrl(text: string, href: string): boolean {
  return href === text || href === `http://${text}` || href === `https://${text}` || href === `mailto:${text}`
}

function mask(text: string): string {
  return text.replace(url, (match) => MASK.repeat(match.length)).replace(continuation, (match) => MASK.repeat(match.length))
}

/** Report `ruleId` on the source span `start`–`end` (offsets in `file.value`), with an optional fix. */
export function reportSpan(file: VFile, ruleId: RuleId, reason: string, start: number, end: number, fix?: Omit<Fix, 'start' | 'end'> & Partial<Pick<Fix, 'start' | 'end'>>) {
  const lines = sourceLines(file)
  const from = lines.toPoint(start)
  const to = lines.toPoint(end)
  const message = report(file, ruleId, reason, from && to ? { start: from, end: to } : from)
  if (fix) message.fix = { start, end, ...fix }
  return message
}

/** Every match of `pattern` (global) in the segments' text, with source offsets. */
export function* matchesIn(segments: ProseSegment[], shared: RegExp): Generator<{ segment: ProseSegment; match: RegExpExecArray; start: number; end: number }> {
  // A copy: the caller may use the same pattern while this one is half way (its lastIndex is state).
  const pattern = new RegExp(shared.source, shared.flags)
  for (const segment of segments) {
    pattern.lastIndex = 0
    for (let match = pattern.exec(segment.text); match; match = pattern.exec(segment.text)) {
      if (match[0] === '') {
        pattern.lastIndex++
        continue
      }
      yield { segment, match, start: segment.start + match.index, end: segment.start + match.index + match[0].length }
    }
  }
}

/** Quote a snippet of source for a message, on one line. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return `\`${flat.length > 60 ? flat.slice(0, 57) + '…' : flat}\``
}
