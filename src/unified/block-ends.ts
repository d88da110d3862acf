/**
 * Where blocks end. One rule in every paragraph mode: a block construct
 * ends where its own syntax ends, and the next line is never swallowed by
 * it: a `>` quote ends at the first line not starting with `>`, a list at
 * the first line that is neither an item nor indented under one, a table
 * at the first line that is not a row, a raw HTML block at its closing tag,
 * a fence at its closing fence, an image alone on its line at that line.
 * In a line-paragraph chapter, every other line is a paragraph of its own
 * as well.
 *
 * CommonMark ends some of these only at a blank line (lazy continuation,
 * GFM table rows, HTML blocks of kinds 6 and 7), so the plan is a list of
 * blank lines to insert: the parser then reads the chapter exactly as its
 * blank-line form. Lines are only ever inserted, never changed, so every
 * position in the parsed text maps back to the manuscript (`offset-map.ts`).
 */
import { looksLikeSectionLine } from './plugins/remark-section-lines.ts'

export type ParagraphMode = 'lines' | 'blank'

/** A blank line to insert before source line `line` (0-based), with the container prefix it needs (`>` inside a quote). */
export interface BlankLine {
  line: number
  prefix: string
}

/** Something the plan had to decide that the author should know: reported by the parser's wrapper. */
export interface PlanNotice {
  kind: 'lazy-line' | 'html-unclosed'
  /** 0-based line. */
  line: number
  /** For `lazy-line`: the block the line would have continued. */
  block?: 'quote' | 'list item' | 'footnote'
  /** For `html-unclosed`: the element's tag name, or the kind of block (`comment`). */
  tag?: string
  /** For `html-unclosed`: where the block now ends: its own line, or the chapter's end (CommonMark's rule for comments, `<script>` …). */
  endsAt?: 'line' | 'chapter'
}

/**
 * What the blank-mode reading of a chapter says about its line breaks, for
 * mode detection. Only prose lines are evidence (`isProse`): a line that is
 * a block on its own (an image, an HTML tag or comment, a citation marker, a
 * section line, a definition …) ends no sentence whatever the mode, so a
 * break before or after it says nothing about hard wrapping. Inside a
 * paragraph such lines are skipped: the break counted is the one between
 * the prose lines around them.
 */
export interface BreakStats {
  /**
   * Line breaks between two prose lines of a paragraph, lines that follow a
   * quote, list, table or HTML block with no blank line between (counted as
   * breaks at a sentence end, unless the block ends in a wrapped paragraph:
   * then it is the break after that paragraph's last line), and `---` under
   * a finished sentence (a scene break, not a heading underline).
   */
  breaks: number
  /** Of those, breaks after a line that ends a sentence. */
  atSentenceEnd: number
  /** The lengths of the lines before those breaks. */
  lengths: number[]
  /**
   * Lines the blank-mode reading joins to a paragraph without a break being
   * counted: a line that is not prose, or prose after only such lines.
   */
  joined: number
}

interface Line {
  /** 0-based line number in the file. */
  index: number
  /** The line's text inside its containers (quote markers and item indentation removed). */
  text: string
}

/** The state a block leaves behind: whether the next line needs a blank line to start anew. */
type After = 'none' | 'paragraph' | 'closed' | 'self-closing'

const blank = /^[ \t]*$/
const fenceOpen = /^[ \t]*(`{3,}|~{3,})(.*)$/
const atxHeading = /^[ \t]*#{1,6}(?:[ \t]|$)/
const thematicBreak = /^[ \t]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/
const setextUnderline = /^[ \t]*(?:=+|-+)[ \t]*$/
const quoteStart = /^[ \t]*>/
const listItem = /^([ \t]*)([-+*]|(\d{1,9})[.)])(?:([ \t]+)(.*))?$/
const footnoteDefinition = /^[ \t]*\[\^[^\]\s]+\]:/
const linkDefinition = /^[ \t]*\[[^\]^][^\]]*\]:[ \t]*\S/
/** An image alone on its line: a figure, never part of a paragraph. */
const imageLine = /^[ \t]*!\[(?:[^\]\\]|\\.)*\]\((?:[^()\\]|\\.|\([^()]*\))*\)[ \t]*$/
const delimiterRow = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/

/** CommonMark's HTML block starts, kinds 1–5 with their end markers. */
const htmlRaw = /^[ \t]*<(script|pre|style|textarea)(?:[ \t>]|$)/i
const htmlEnds: [RegExp, RegExp, string][] = [
  [/^[ \t]*<!--/, /-->/, 'comment'],
  [/^[ \t]*<\?/, /\?>/, 'processing instruction'],
  [/^[ \t]*<![A-Za-z]/, />/, 'declaration'],
  [/^[ \t]*<!\[CDATA\[/, /\]\]>/, 'CDATA section'],
]
const blockTags = new Set(
  ('address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt ' +
    'fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link ' +
    'main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead ' +
    'title tr track ul').split(' '),
)
const voidTags = new Set('area base basefont br col embed frame hr img input link meta param source track wbr'.split(' '))
const htmlBlockTag = /^[ \t]*<(\/?)([A-Za-z][A-Za-z0-9-]*)(?=[ \t/>]|$)/
/** Kind 7: one complete open or closing tag alone on its line. */
const htmlLoneTag = /^[ \t]*(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$/

/**
 * Plan the blank lines that make `lines` (a chapter's lines, front matter
 * excluded from `from`) read as its blank-line form in `mode`, and collect
 * the break statistics of that reading.
 */
export function planBlankLines(lines: string[], mode: ParagraphMode, from = 0): { blanks: BlankLine[]; stats: BreakStats; notices: PlanNotice[] } {
  const context: Context = { mode, blanks: [], stats: { breaks: 0, atSentenceEnd: 0, lengths: [], joined: 0 }, notices: [] }
  const body = lines.slice(from).map((text, offset) => ({ index: from + offset, text }))
  scan(body, '', context)
  return { blanks: context.blanks, stats: context.stats, notices: context.notices }
}

interface Context {
  mode: ParagraphMode
  blanks: BlankLine[]
  stats: BreakStats
  notices: PlanNotice[]
}

/** How a container's content ended: in an open paragraph (and its last line), or not. */
interface Ending {
  after: After
  last: string
  /** When it ended in a paragraph: the paragraph's last prose line, and whether it has more than one (a wrapped paragraph). */
  prose?: OpenParagraph
}

/** The prose of a paragraph still open: its last prose line, and whether it has more than one. */
interface OpenParagraph {
  last: string
  wrapped: boolean
}

/** Read one container's lines block by block, recursing into quotes, list items and footnote definitions. */
function scan(lines: Line[], prefix: string, context: Context): Ending {
  let after: After = 'none'
  /** The prose of the block just closed, when its content ended in an open paragraph. */
  let open: OpenParagraph | undefined
  /** The open paragraph's prose so far (undefined: none yet). */
  let paragraph: OpenParagraph | undefined
  let i = 0
  const separate = (at: number) => context.blanks.push({ line: lines[at]!.index, prefix: prefix.trimEnd() })
  while (i < lines.length) {
    const line = lines[i]!
    const text = line.text
    if (blank.test(text)) {
      after = 'none'
      i++
      continue
    }
    const inParagraph = after === 'paragraph'
    // An image alone on its line is a figure, unless a wrapped sentence runs through it.
    const figure = imageLine.test(text) && !(inParagraph && context.mode === 'blank' && !endsSentence(lines[i - 1]!.text))
    // A line that CommonMark would read as the open paragraph's continuation.
    if (inParagraph && context.mode === 'blank' && !figure && !interruptsParagraph(lines, i)) {
      if (setextUnderline.test(text)) {
        // A heading underline in this reading; under a finished sentence, a scene break in the other.
        if (paragraph && /^[ \t]*-/.test(text) && endsWithFullStop(paragraph.last)) {
          context.stats.breaks++
          context.stats.atSentenceEnd++
        }
        after = 'self-closing'
        i++
        continue
      }
      // Only a break between two prose lines is evidence; a line that is a block on its own is skipped.
      if (!isProse(text)) context.stats.joined++
      else {
        if (paragraph) countBreak(paragraph.last, context.stats)
        else context.stats.joined++
        paragraph = { last: text, wrapped: paragraph !== undefined }
      }
      i++
      continue
    }
    if (inParagraph && context.mode === 'lines' && continuesParagraph(lines, i)) {
      i++
      continue
    }
    if (after === 'closed') {
      // Blank-line Markdown leaves a blank line after a quote, list or table (not between
      // footnote definitions); an export never does (`countAfterBlock`).
      if (!(footnoteDefinition.test(lines[i - 1]!.text) && footnoteDefinition.test(text))) countAfterBlock(open, text, context.stats)
      separate(i)
    } else if (after === 'paragraph' && (figure || (context.mode === 'lines' && !interruptsParagraph(lines, i)))) {
      // Only where CommonMark would not end the paragraph itself: a blank line inside a list item loosens the list.
      separate(i)
    }

    const end = blockEnd(lines, i, prefix, context)
    if (end) {
      i = end.next
      after = end.after
      open = end.open
      paragraph = undefined
      continue
    }
    after = 'paragraph'
    // An italic line right after an image is its caption (`remark-figures.ts`): part of the figure, not prose.
    const caption = i > 0 && imageLine.test(lines[i - 1]!.text) && captionLine.test(text)
    paragraph = isProse(text) && !caption ? { last: text, wrapped: false } : undefined
    i++
  }
  return { after, last: lines.at(-1)?.text ?? '', ...(after === 'paragraph' && paragraph ? { prose: paragraph } : {}) }
}

/** A line ending in an unescaped backslash: a hard line break. */
const hardBreak = /(?:^|[^\\])(?:\\\\)*\\$/

/** In a line-paragraph chapter a line continues a paragraph only after a backslash hard break. */
function continuesParagraph(lines: Line[], i: number): boolean {
  return hardBreak.test(lines[i - 1]!.text) && !startsBlock(lines, i)
}

/** Whether line `i` starts a block that may interrupt a paragraph (CommonMark's rules, plus tables and footnote definitions). */
function interruptsParagraph(lines: Line[], i: number): boolean {
  const text = lines[i]!.text
  if (fenceOpen.test(text) || atxHeading.test(text) || quoteStart.test(text) || footnoteDefinition.test(text)) return true
  if (thematicBreak.test(text) && !setextUnderline.test(text)) return true
  if (htmlRaw.test(text) || htmlEnds.some(([start]) => start.test(text))) return true
  const tag = htmlBlockTag.exec(text)
  if (tag && blockTags.has(tag[2]!.toLowerCase())) return true
  if (isTableStart(lines, i)) return true
  const item = listItem.exec(text)
  // Only a bullet or an ordered list starting at 1, with content, interrupts a paragraph.
  if (item && !thematicBreak.test(text) && (item[3] === undefined || item[3] === '1') && (item[5] ?? '').trim() !== '') return true
  return false
}

/** Whether line `i` starts any block construct other than a paragraph. */
function startsBlock(lines: Line[], i: number): boolean {
  const text = lines[i]!.text
  return interruptsParagraph(lines, i) || listItem.test(text) || thematicBreak.test(text) || htmlLoneTag.test(text)
}

/**
 * A line right after a block, with no blank line between: blank-line
 * Markdown leaves one there, an export never does, so it counts as a break
 * at a sentence end. When the block ends in a wrapped paragraph (a quote's,
 * an item's or a note's) and the line is prose, the line may be its lazy
 * continuation: the break after that paragraph's last line is counted
 * instead. A one-line item or note that ends no sentence is no evidence
 * either way (a list item, like a note's reference, need not be a sentence),
 * only a line CommonMark would join to it.
 */
function countAfterBlock(open: OpenParagraph | undefined, next: string, stats: BreakStats): void {
  if (open?.wrapped && isProse(next)) return countBreak(open.last, stats)
  // CommonMark would continue the item or note on this line (Quire does not: `lazyLine`).
  if (open && !endsLine(open.last)) {
    stats.joined++
    return
  }
  stats.breaks++
  stats.atSentenceEnd++
}

/** What a line may show besides prose: images, HTML tags and comments, citation and note markers, links left empty. */
const notProse = [
  // An image, inline or by reference, with Pandoc-style attributes after it.
  /!\[(?:[^\]\\]|\\.)*\](?:\((?:[^()\\]|\\.|\([^()]*\))*\)|\[[^\]]*\])?(?:\{[^{}]*\})?/g,
  /<!--.*?(?:-->|$)/g,
  /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g,
  /\[(?:citation\s+\d+|\^[^\][\s]+|[^\][\n]*@[^\][\n]*)\]/gi,
  // What is left of a link around an image.
  /\[\s*\](?:\([^()]*\)|\[[^\]]*\])?/g,
]
const tableRow = /^[ \t]*\|.*\|[ \t]*$/
/** A line that is one emphasis (`*Figure 2. The sectors*`): after an image, its caption line. */
const captionLine = /^[ \t]*([*_])(?![*_\s]).*[^\s*_\\]\1[ \t]*$/

/**
 * Whether a line (inside its containers) is prose: not a block on its own
 * (a heading, section line, list item, thematic break, fence, table row,
 * footnote or link definition), and with words left once its images, HTML
 * tags and comments and citation markers are taken away.
 */
function isProse(text: string): boolean {
  if (blank.test(text) || looksLikeSectionLine(text) || linkDefinition.test(text) || footnoteDefinition.test(text)) return false
  if (atxHeading.test(text) || fenceOpen.test(text) || thematicBreak.test(text) || setextUnderline.test(text) || quoteStart.test(text)) return false
  if (listItem.test(text) || tableRow.test(text) || (hasPipe(text) && delimiterRow.test(text))) return false
  let rest = text
  for (const pattern of notProse) rest = rest.replace(pattern, ' ')
  return /[\p{L}\p{N}]/u.test(rest)
}

function countBreak(previous: string, stats: BreakStats): void {
  const text = previous.trimEnd()
  // A hard line break (a backslash, or two spaces) is the author's own line, not a wrap.
  if (looksLikeSectionLine(text) || linkDefinition.test(text) || hardBreak.test(previous) || previous.endsWith('  ')) return
  stats.breaks++
  stats.lengths.push(text.trim().length)
  if (endsLine(text)) stats.atSentenceEnd++
}

/** Ends that close a sentence, once trailing quotes, brackets and markers are removed. */
const sentenceEnd = /[.!?…:;]$/
/**
 * A marker at the end of a line: `[citation 4]`, `[^2]`, `[@key, p. 3]` (from the last `[`, so no backtracking;
 * white space around it is trimmed apart, as a leading `\s*` would be tried again from every space of a long run).
 */
const trailingMarkers = /\[(?:citation\s+\d+|\^[^\][\s]+|[^\][\n]*@[^\][\n]*)\]$/i
const trailingClosers = /["'”’»)\]*_~]+$/
/** An HTML tag at the end of a line (`</em>`, `<br>`), or a note number typed as `<sup>3</sup>`. */
const trailingTag = /(?:<sup>[^<>]*<\/sup>|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>)$/i

/**
 * An attribution line (`-- L. P. Hartley, *The Go-Between*`) is complete without a full stop. Its opening dash,
 * as typed or as typography made it; rehype-epigraph.ts sets such a line as an epigraph's attribution.
 */
export const attributionDash = /^\s*(?:--|[—―–])\s*(?=\S)/

/** Whether a line is complete: it ends a sentence, or it is an attribution. */
function endsLine(text: string): boolean {
  return endsSentence(text) || attributionDash.test(text)
}

/** Whether a line of text ends a sentence (ignoring closing quotes, citation markers and HTML tags). */
export function endsSentence(text: string): boolean {
  return sentenceEnd.test(sentenceEndless(text))
}

/** Whether a line ends with a full stop (ignoring closing quotes, markers and tags), as a sentence does and a heading does not. */
function endsWithFullStop(text: string): boolean {
  return /\.$/.test(sentenceEndless(text))
}

/** A line without what may follow the end of its sentence: closing quotes and brackets, citation markers, HTML tags. */
function sentenceEndless(text: string): string {
  let rest = text.trimEnd()
  for (let before = ''; rest !== before; ) {
    before = rest
    while (trailingMarkers.test(rest)) rest = rest.replace(trailingMarkers, '').trimEnd()
    rest = rest.replace(trailingTag, '').trimEnd().replace(trailingClosers, '')
  }
  return rest
}

/** If line `i` starts a block construct, read it to its end: the next line's index and what it leaves. */
function blockEnd(lines: Line[], i: number, prefix: string, context: Context): { next: number; after: After; open?: OpenParagraph } | undefined {
  const text = lines[i]!.text
  const fence = fenceOpen.exec(text)
  if (fence && !(fence[1]![0] === '`' && fence[2]!.includes('`'))) {
    const close = new RegExp(`^[ \\t]*${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}[ \\t]*$`)
    let j = i + 1
    while (j < lines.length && !close.test(lines[j]!.text)) j++
    return { next: Math.min(j + 1, lines.length), after: 'self-closing' }
  }
  if (atxHeading.test(text) || thematicBreak.test(text)) return { next: i + 1, after: 'self-closing' }
  if (imageLine.test(text)) return { next: i + 1, after: 'closed' }
  const html = htmlBlockEnd(lines, i, context)
  if (html !== undefined) return { next: html + 1, after: 'closed' }
  if (quoteStart.test(text)) {
    let j = i
    const inner: Line[] = []
    while (j < lines.length && quoteStart.test(lines[j]!.text)) {
      inner.push({ index: lines[j]!.index, text: lines[j]!.text.replace(/^[ \t]*> ?/, '') })
      j++
    }
    const ending = scan(inner, `${prefix}>`, context)
    lazyLine(lines, j, ending, 'quote', context)
    return { next: j, after: 'closed', ...openEnd(ending) }
  }
  if (isTableStart(lines, i)) {
    let j = i + 2
    // A row followed by a delimiter row heads the next table.
    while (j < lines.length && !blank.test(lines[j]!.text) && hasPipe(lines[j]!.text) && !startsBlockInTable(lines, j) && !isTableStart(lines, j)) j++
    return { next: j, after: 'closed' }
  }
  if (footnoteDefinition.test(text)) {
    const { next, ending } = containerEnd(lines, i, 4, text.replace(/^[ \t]*\[\^[^\]\s]+\]:[ \t]?/, ''), prefix, context, 'footnote')
    return { next, after: 'closed', ...openEnd(ending) }
  }
  const item = listItem.exec(text)
  if (item && !thematicBreak.test(text)) {
    const kind = listKind(item)
    let j = i
    let ending: Ending = { after: 'none', last: '' }
    for (;;) {
      const match = listItem.exec(lines[j]!.text)!
      const spaces = match[4] ?? ''
      const content = match[5] ?? ''
      // Content starts after the marker and its spaces; five or more spaces mean one, as in CommonMark.
      const gap = content === '' || spaces.length > 4 ? 1 : spaces.length
      const width = indentOf(match[1]!) + match[2]!.length + gap
      const first = content === '' ? '' : spaces.length > 4 ? spaces.slice(1) + content : content
      ;({ next: j, ending } = containerEnd(lines, j, width, first, prefix, context, 'list item'))
      // Blank lines between items keep the list going (loose) when another item of it follows.
      let k = j
      while (k < lines.length && blank.test(lines[k]!.text)) k++
      const next = k < lines.length ? listItem.exec(lines[k]!.text) : null
      if (!next || thematicBreak.test(lines[k]!.text) || listKind(next) !== kind) break
      j = k
    }
    return { next: j, after: 'closed', ...openEnd(ending) }
  }
  return undefined
}

/**
 * The lines of a list item or footnote definition: its first line, then every
 * line indented at least `width` (blank lines included when an indented line
 * follows them). Scans them as a container and returns the index after it.
 */
function containerEnd(lines: Line[], i: number, width: number, first: string, prefix: string, context: Context, block: 'list item' | 'footnote'): { next: number; ending: Ending } {
  const inner: Line[] = [{ index: lines[i]!.index, text: first }]
  let j = i + 1
  while (j < lines.length) {
    const text = lines[j]!.text
    if (blank.test(text)) {
      let k = j
      while (k < lines.length && blank.test(lines[k]!.text)) k++
      if (k < lines.length && indentOf(lines[k]!.text) >= width) {
        for (; j < k; j++) inner.push({ index: lines[j]!.index, text: '' })
        continue
      }
      break
    }
    if (indentOf(text) < width) break
    inner.push({ index: lines[j]!.index, text: stripIndent(text, width) })
    j++
  }
  const ending = scan(inner, prefix + ' '.repeat(width), context)
  lazyLine(lines, j, ending, block, context)
  // Blank lines after the container belong to what follows.
  return { next: j, ending }
}

/** A block's last prose, when its content ended in an open paragraph of prose. */
function openEnd(ending: Ending): { open?: OpenParagraph } {
  return ending.prose ? { open: ending.prose } : {}
}

/**
 * A hard-wrapped chapter may continue a quote, list item or footnote on a
 * line without its `>` or indentation (Markdown's lazy continuation). Quire
 * ends the block there instead, in every mode; when the block's last line
 * leaves a sentence open and line `j` is plain text, the author probably
 * meant it to go on, so say so.
 */
function lazyLine(lines: Line[], j: number, ending: Ending, block: 'quote' | 'list item' | 'footnote', context: Context): void {
  if (context.mode !== 'blank' || ending.after !== 'paragraph' || j >= lines.length) return
  if (blank.test(lines[j]!.text) || startsBlock(lines, j) || imageLine.test(lines[j]!.text) || endsLine(ending.last)) return
  context.notices.push({ kind: 'lazy-line', line: lines[j]!.index, block })
}

/** A list's kind: its bullet character, or its ordered delimiter (`.` or `)`). */
function listKind(item: RegExpExecArray): string {
  return item[3] === undefined ? item[2]! : `1${item[2]!.at(-1)}`
}

function indentOf(text: string): number {
  let width = 0
  for (const char of text) {
    if (char === ' ') width++
    else if (char === '\t') width += 4 - (width % 4)
    else break
  }
  return width
}

function stripIndent(text: string, width: number): string {
  let removed = 0
  let at = 0
  while (at < text.length && removed < width && (text[at] === ' ' || text[at] === '\t')) {
    removed += text[at] === '\t' ? 4 - (removed % 4) : 1
    at++
  }
  return ' '.repeat(Math.max(0, removed - width)) + text.slice(at)
}

/** A GFM table starts with a row followed by a delimiter row of as many cells. */
function isTableStart(lines: Line[], i: number): boolean {
  const head = lines[i]!.text
  const next = lines[i + 1]?.text
  if (next === undefined || !hasPipe(head) && !hasPipe(next)) return false
  if (!delimiterRow.test(next) || !/[|]/.test(next) && !hasPipe(head)) return false
  return cells(head) === cells(next)
}

/** A table row: a line with an unescaped pipe outside code. */
function hasPipe(text: string): boolean {
  return /(?:^|[^\\])\|/.test(text.replace(/`[^`]*`/g, ''))
}

function cells(row: string): number {
  const trimmed = row.trim().replace(/^\|/, '').replace(/(?:^|[^\\])\|$/, (match) => match.slice(0, -1))
  return trimmed.split(/(?<!\\)\|/).length
}

/** Inside a table, a line that starts a quote, fence, heading, list or HTML block ends the table (as in GFM). */
function startsBlockInTable(lines: Line[], j: number): boolean {
  const text = lines[j]!.text
  return quoteStart.test(text) || fenceOpen.test(text) || atxHeading.test(text) || htmlBlockEnd(lines, j) !== undefined
}

/**
 * If line `i` opens a raw HTML block, the index of its last line. Kinds 1–5
 * end at their marker as in CommonMark. A block tag (kind 6) or a tag alone
 * on its line (kind 7) ends at the line that closes the element it opened
 * (or at once for a void, self-closed or closing tag), and at the latest
 * before a blank line, where CommonMark would end it.
 */
function htmlBlockEnd(lines: Line[], i: number, context?: Context): number | undefined {
  const text = lines[i]!.text
  const unclosed = (tag: string, endsAt: 'line' | 'chapter') => context?.notices.push({ kind: 'html-unclosed', line: lines[i]!.index, tag, endsAt })
  const untilMarker = (end: RegExp, from: number, tag: string) => {
    if (end.test(text.slice(from))) return i
    for (let j = i + 1; j < lines.length; j++) if (end.test(lines[j]!.text)) return j
    // CommonMark runs such a block to the end of the document: everything after it would be raw HTML.
    unclosed(tag, 'chapter')
    return lines.length - 1
  }
  const raw = htmlRaw.exec(text)
  if (raw) return untilMarker(new RegExp(`</${raw[1]}\\s*>`, 'i'), 0, raw[1]!.toLowerCase())
  for (const [start, end, tag] of htmlEnds) {
    const match = start.exec(text)
    if (match) return untilMarker(end, match[0].length, tag)
  }
  const tag = htmlBlockTag.exec(text)
  if (!tag) return undefined
  const name = tag[2]!.toLowerCase()
  if (!blockTags.has(name) && !htmlLoneTag.test(text)) return undefined
  const lastBeforeBlank = () => {
    let j = i
    while (j + 1 < lines.length && !blank.test(lines[j + 1]!.text)) j++
    return j
  }
  if (tag[1] === '/' || voidTags.has(name)) return i
  const opens = new RegExp(`<${name}(?=[\\s/>])[^>]*?(/?)>`, 'gi')
  const closes = new RegExp(`</${name}\\s*>`, 'gi')
  let depth = 0
  for (let j = i; j < lines.length; j++) {
    const line = lines[j]!.text
    if (j > i && blank.test(line)) break
    for (const match of line.matchAll(opens)) if (match[1] !== '/') depth++
    depth -= line.match(closes)?.length ?? 0
    if (depth <= 0) return j
  }
  // An element that never closes: CommonMark ends it at the next blank line, which a
  // one-per-line chapter may never have; there it ends at its own line.
  if (context?.mode === 'lines') {
    unclosed(name, 'line')
    return i
  }
  return lastBeforeBlank()
}
