/**
 * One paragraph per line, and blocks that end where their syntax ends.
 * Word processors export chapters with one paragraph per line and no blank
 * lines between them; CommonMark would glue such a chapter into one
 * paragraph, let a quote or list swallow the lines after it, and read a
 * table's next line as a row. This plugin wraps the parser: it decides the
 * chapter's paragraph mode from its lines, plans the blank lines that make
 * the chapter read as its blank-line form (`block-ends.ts`), parses that,
 * and maps the tree's positions back to the file as written.
 */
import type { Root } from 'mdast'
import type { Processor } from 'unified'
import type { VFile } from 'vfile'
import { parse as parseYaml } from 'yaml'
import { report } from '../../diagnostics/rules.ts'
import { planBlankLines, type ParagraphMode, type PlanNotice } from '../block-ends.ts'
import { FRONT_MATTER_KEYS, frontMatterLines } from '../front-matter-lines.ts'
import { mapPositions, spliceLines } from '../offset-map.ts'
import { assertEmphasisDensity } from '../../manuscript/limits.ts'

export interface LineParagraphsOptions {
  /** `auto` detects per chapter; front matter `paragraphs:` overrides (default: auto). */
  mode?: 'auto' | 'lines' | 'blank'
}

/** Parse chapters with their blocks separated as the paragraph mode says. */
export function remarkLineParagraphs(this: Processor, options: LineParagraphsOptions = {}) {
  const setting = options.mode ?? 'auto'
  const parse = this.parser
  if (!parse) throw new Error('remarkLineParagraphs must come after remark-parse, whose parser it wraps')
  this.parser = function (document: string, file: VFile): Root {
    const lines = document.split(/\r\n|\r|\n/)
    const frontMatter = frontMatterLines(lines, FRONT_MATTER_KEYS)
    const from = frontMatter?.end ?? 0
    const wanted = (frontMatter && frontMatterMode(frontMatter.value)) ?? setting
    const mode = wanted === 'auto' ? detectMode(lines, from) : wanted
    file.data.paragraphMode = mode
    const { blanks, notices } = planBlankLines(lines, mode, from)
    // Before the parser sees it: a paragraph dense with emphasis marks would take it minutes.
    assertEmphasisDensity(lines, new Set(blanks.map((blank) => blank.line)), from)
    for (const notice of notices) reportNotice(file, notice, lines[notice.line] ?? '')
    if (blanks.length === 0) return parse(document, file) as Root
    const spliced = spliceLines(document, blanks)
    const tree = parse(spliced.text, file) as Root
    mapPositions(tree, document, spliced)
    return tree
  }
}

const remedies = {
  quote: 'start it with `>` to keep it in the quote, or leave a blank line before it',
  'list item': 'indent it under the item to keep it there, or leave a blank line before it',
  footnote: 'indent it by four spaces to keep it in the note, or leave a blank line before it',
}

/** Tell the author where the plan ended a block that Markdown would have run on. */
function reportNotice(file: VFile, notice: PlanNotice, text: string): void {
  const place = { start: { line: notice.line + 1, column: 1 }, end: { line: notice.line + 1, column: text.length + 1 } }
  if (notice.kind === 'lazy-line') {
    const block = notice.block ?? 'quote'
    report(file, 'lazy-line', `Unexpected line without ${block === 'quote' ? '`>`' : 'indentation'} after a ${block} that ends mid-sentence: Quire ends the ${block} before it. If it continues the ${block}, ${remedies[block]}`, place)
  } else {
    const what = notice.tag && /^[a-z][\w-]*$/.test(notice.tag) && notice.tag !== 'comment' ? `\`<${notice.tag}>\`` : `HTML ${notice.tag ?? 'block'}`
    const effect = notice.endsAt === 'line' ? 'Quire ends it at the end of its line' : 'everything after it, to the end of the chapter, is raw HTML and not shown as text'
    report(file, 'html-unclosed', `Unclosed ${what}: nothing closes it, so ${effect}. Close it, or remove it`, place)
  }
}

/**
 * Decide from the line breaks inside paragraphs as CommonMark would read
 * them: hard-wrapped prose breaks mid-sentence most of the time, a
 * line-per-paragraph export almost never does. Only breaks between prose
 * lines count: a line that is a block on its own (an image or HTML tag
 * alone, a comment, a citation marker, a section line, a definition …)
 * ends no sentence in either kind of chapter (`BreakStats`).
 */
export function detectMode(lines: string[], from = 0): ParagraphMode {
  const { stats } = planBlankLines(lines, 'blank', from)
  // No evidence either way: when CommonMark would still join lines into a paragraph, keep them apart.
  if (stats.breaks === 0) return stats.joined > 0 ? 'lines' : 'blank'
  const lengths = [...stats.lengths].sort((a, b) => a - b)
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0
  // Hard-wrapped Markdown keeps lines under ~80 characters; long lines mean one per paragraph.
  if (median > 120) return 'lines'
  return stats.atSentenceEnd / stats.breaks >= 0.75 ? 'lines' : 'blank'
}

/** The front matter's `paragraphs:` setting, read ahead of the parse (remarkChapterFrontMatter validates it). */
function frontMatterMode(yaml: string): 'auto' | 'lines' | 'blank' | undefined {
  if (!/^paragraphs\s*:/m.test(yaml)) return undefined
  try {
    const value: unknown = parseYaml(yaml)?.paragraphs
    return value === 'auto' || value === 'lines' || value === 'blank' ? value : undefined
  } catch {
    return undefined
  }
}
