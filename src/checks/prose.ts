/**
 * What the text rules read: the manuscript's prose as the author typed it.
 * Earlier plugins change text node values (curly quotes, dashes), so rules
 * read the *source* between each text node's offsets instead, and report
 * exact source spans. Code, raw HTML, front matter and URLs are not prose.
 */
import type { Parent, Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { sourceLines } from '../unified/mdast-lines.ts'
import { report, type Fix, type RuleId } from './rules.ts'

export interface ProseSegment {
  /** Offset in `file.value` of the segment's first character. */
  start: number
  /**
   * The source text. URLs and the markers that open continuation lines in
   * quotes and lists (`> `, indentation) are masked with U+0000, so offsets
   * stay exact and no rule matches inside them.
   */
  text: string
  /** The block the text belongs to: a paragraph, heading or table cell. */
  block: Parent
  /** Inside a block quote (quoted matter is the source's, not the author's). */
  quoted: boolean
}

const MASK = '\u0000'
const url = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"]*[^\s<>".,;:!?'")\]]|[\w.+-]+@[\w-]+\.[\w.-]+/g
const continuation = /(?<=\n)[ \t>]*/g
const skipped = new Set(['code', 'inlineCode', 'html', 'yaml', 'definition', 'math', 'inlineMath', 'citation', 'sectionNumber'])

const cache = new WeakMap<Root, ProseSegment[]>()

/** The prose of a chapter tree, one segment per text node, in source order. */
export function proseSegments(tree: Root, file: VFile): ProseSegment[] {
  let found = cache.get(tree)
  if (found) return found
  found = []
  const source = String(file.value)
  const seen = new Set<number>()
  const walk = (node: Root | RootContent, block: Parent | undefined, quoted: boolean) => {
    if (skipped.has(node.type)) return
    if (node.type === 'text') {
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      // Plugins that split or rebuild nodes keep positions; one source span is still read once.
      if (start === undefined || end === undefined || !block || seen.has(start)) return
      seen.add(start)
      found!.push({ start, text: mask(source.slice(start, end)), block, quoted })
      return
    }
    // A bare URL made into a link: its text is the URL.
    if (node.type === 'link' && node.children.length === 1 && node.children[0]!.type === 'text' && sameAsUrl(node.children[0]!.value, node.url)) return
    if (!('children' in node)) return
    const isBlock = node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell'
    for (const child of node.children as RootContent[]) walk(child, isBlock ? (node as Parent) : block, quoted || node.type === 'blockquote')
  }
  walk(tree, undefined, false)
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
