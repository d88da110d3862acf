/**
 * One paragraph per line. Word processors export chapters with one paragraph
 * per line and no blank lines between them; CommonMark would glue such a
 * chapter into one paragraph. This plugin decides per chapter which style it
 * is written in and, for line-per-paragraph chapters, makes every source line
 * its own paragraph, ending the lazy continuations of block quotes and list
 * items and undoing setext headings that a `---` scene break would create.
 */
import type { Blockquote, Heading, List, ListItem, Paragraph, Root, RootContent } from 'mdast'
import type { VFile } from 'vfile'
import { paragraphLines, paragraphOf, sourceLines, type SourceLines } from '../mdast-lines.ts'
import { looksLikeSectionLine } from './remark-section-lines.ts'

export interface LineParagraphsOptions {
  /** `auto` detects per chapter; front matter `paragraphs:` overrides (default: auto). */
  mode?: 'auto' | 'lines' | 'blank'
}

/** Ends that close a sentence, once trailing quotes, brackets and markers are removed. */
const sentenceEnd = /[.!?…:;]$/
const trailingMarkers = /\s*\[(?:citation\s+\d+|[^\]\n]*@[^\]\n]*)\]\s*$/i
const trailingClosers = /["'”’»)\]*_~]+$/

/** Split paragraphs at line ends in chapters written one paragraph per line. */
export function remarkLineParagraphs(options: LineParagraphsOptions = {}) {
  const setting = options.mode ?? 'auto'
  return function (tree: Root, file: VFile) {
    const wanted = file.data.frontMatter?.paragraphs ?? setting
    const source = sourceLines(file)
    const mode = wanted === 'auto' ? detectMode(tree, source) : wanted
    file.data.paragraphMode = mode
    if (mode === 'lines') tree.children = splitBlocks(tree.children, file, source, 0)
  }
}

/**
 * Decide from the soft line breaks inside paragraphs: hard-wrapped prose
 * breaks mid-sentence most of the time, a line-per-paragraph export almost
 * never does. Numbered section lines are left out of the count.
 */
export function detectMode(tree: Root, source: SourceLines): 'lines' | 'blank' {
  let breaks = 0
  let atSentenceEnd = 0
  const lengths: number[] = []
  const visit = (nodes: RootContent[]) => {
    for (const node of nodes) {
      if (node.type === 'paragraph' && node.position) {
        for (let line = node.position.start.line; line < node.position.end.line; line++) {
          const text = (source.lines[line - 1] ?? '').replace(/^[\s>]*/, '').trimEnd()
          if (looksLikeSectionLine(text)) continue
          breaks++
          lengths.push(text.length)
          if (endsSentence(text)) atSentenceEnd++
        }
      } else if ('children' in node && node.type !== 'heading') {
        visit(node.children as RootContent[])
      }
    }
  }
  visit(tree.children)
  if (breaks === 0) return 'blank'
  lengths.sort((a, b) => a - b)
  const median = lengths[Math.floor(lengths.length / 2)]!
  // Hard-wrapped Markdown keeps lines under ~80 characters; long lines mean one per paragraph.
  if (median > 120) return 'lines'
  return breaks >= 2 && atSentenceEnd / breaks >= 0.75 ? 'lines' : 'blank'
}

/** Whether a line of text ends a sentence (ignoring closing quotes and citation markers). */
export function endsSentence(text: string): boolean {
  let rest = text.trimEnd()
  while (trailingMarkers.test(rest)) rest = rest.replace(trailingMarkers, '')
  rest = rest.replace(trailingClosers, '')
  return sentenceEnd.test(rest)
}


function splitBlocks(children: RootContent[], file: VFile, source: SourceLines, quoteDepth: number): RootContent[] {
  const out: RootContent[] = []
  for (const child of children) {
    if (child.type === 'paragraph') out.push(...splitParagraph(child, file))
    else if (child.type === 'heading' && isSetext(child, source)) out.push(...unSetext(child, file))
    else if (child.type === 'blockquote') {
      child.children = splitBlocks(child.children, file, source, quoteDepth + 1) as Blockquote['children']
      out.push(...escapeBlockquote(child, source, quoteDepth + 1))
    } else if (child.type === 'list') {
      out.push(...escapeList(child, file, source, quoteDepth))
    } else out.push(child)
  }
  return out
}

function splitParagraph(paragraph: Paragraph, file: VFile): Paragraph[] {
  const groups = paragraphLines(paragraph, file)
  if (groups.length <= 1) return [paragraph]
  return groups.map((group, index) => {
    const piece = paragraphOf(group)
    if (index > 0) piece.data = { quireContinuation: true }
    return piece
  })
}

/** `Text\n---` is a setext heading in CommonMark; in a line-per-paragraph chapter it is text and a break. */
function isSetext(heading: Heading, source: SourceLines): boolean {
  const position = heading.position
  if (!position || position.start.line === position.end.line) return false
  return /^\s*(=+|-+)\s*$/.test(source.lines[position.end.line - 1] ?? '')
}

function unSetext(heading: Heading, file: VFile): RootContent[] {
  const underline = heading.position!.end.line
  const paragraph = paragraphOf(heading.children)
  return [
    ...splitParagraph(paragraph, file),
    { type: 'thematicBreak', position: { start: { line: underline, column: 1 }, end: heading.position!.end } },
  ]
}

function quoteMarkers(line: string): number {
  const prefix = /^(\s*>)*/.exec(line)?.[0] ?? ''
  return prefix.split('>').length - 1
}

/** A paragraph made from a later line of a split paragraph: it may be a lazy continuation. */
function isContinuation(node: RootContent): node is Paragraph {
  return node.type === 'paragraph' && Boolean(node.data?.quireContinuation)
}

/** Move lines that only lazily continued a quote's paragraph out of the quote. */
function escapeBlockquote(quote: Blockquote, source: SourceLines, depth: number): RootContent[] {
  const lazy = (node: RootContent) =>
    isContinuation(node) && quoteMarkers(source.lines[node.position!.start.line - 1] ?? '') < depth
  if (!quote.children.some(lazy)) return [quote]
  const out: RootContent[] = []
  let run: Blockquote['children'] = []
  const flush = () => {
    if (run.length > 0) out.push({ type: 'blockquote', children: run })
    run = []
  }
  for (const child of quote.children) {
    if (lazy(child)) {
      flush()
      out.push(child)
    } else run.push(child)
  }
  flush()
  return out
}

/** Move lines that lazily continued a list item's paragraph out of the list, splitting it. */
function escapeList(list: List, file: VFile, source: SourceLines, quoteDepth: number): RootContent[] {
  const out: RootContent[] = []
  let items: ListItem[] = []
  let count = 0
  const flush = () => {
    if (items.length === 0) return
    const part: List = { ...list, children: items }
    if (list.ordered) part.start = (list.start ?? 1) + count - items.length
    out.push(part)
    items = []
  }
  for (const item of list.children) {
    item.children = splitBlocks(item.children, file, source, quoteDepth) as ListItem['children']
    const indent = item.children[0]?.position?.start.column ?? 1
    const index = item.children.findIndex(
      (child) => isContinuation(child) && lineIndent(source.lines[child.position!.start.line - 1] ?? '') < indent - 1,
    )
    items.push(item)
    count++
    if (index > 0) {
      const escaped = item.children.splice(index)
      flush()
      out.push(...(escaped as RootContent[]))
    }
  }
  flush()
  return out
}

/** Columns of indentation after any block quote markers. */
function lineIndent(line: string): number {
  const rest = line.replace(/^(\s*>)*/, '')
  const prefix = line.length - rest.length
  return prefix + (rest.length - rest.trimStart().length)
}
