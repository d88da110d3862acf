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
import { planBlankLines, type ParagraphMode } from '../block-ends.ts'
import { mapPositions, spliceLines } from '../offset-map.ts'

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
    const from = frontMatterEnd(lines)
    const wanted = frontMatterMode(lines, from) ?? setting
    const mode = wanted === 'auto' ? detectMode(lines, from) : wanted
    file.data.paragraphMode = mode
    const { blanks } = planBlankLines(lines, mode, from)
    if (blanks.length === 0) return parse(document, file) as Root
    const spliced = spliceLines(document, blanks)
    const tree = parse(spliced.text, file) as Root
    mapPositions(tree, document, spliced)
    return tree
  }
}

/**
 * Decide from the line breaks inside paragraphs as CommonMark would read
 * them: hard-wrapped prose breaks mid-sentence most of the time, a
 * line-per-paragraph export almost never does. Numbered section lines are
 * left out of the count.
 */
export function detectMode(lines: string[], from = 0): ParagraphMode {
  const { stats } = planBlankLines(lines, 'blank', from)
  if (stats.breaks === 0) return 'blank'
  const lengths = [...stats.lengths].sort((a, b) => a - b)
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0
  // Hard-wrapped Markdown keeps lines under ~80 characters; long lines mean one per paragraph.
  if (median > 120) return 'lines'
  return stats.atSentenceEnd / stats.breaks >= 0.75 ? 'lines' : 'blank'
}

/** The index of the first line after a YAML front matter block (0 without one). */
function frontMatterEnd(lines: string[]): number {
  if (lines[0]?.trimEnd() !== '---') return 0
  for (let i = 1; i < lines.length; i++) if (/^(?:---|\.\.\.)[ \t]*$/.test(lines[i]!)) return i + 1
  return 0
}

/** The front matter's `paragraphs:` setting, read ahead of the parse (remarkChapterFrontMatter validates it). */
function frontMatterMode(lines: string[], end: number): 'auto' | 'lines' | 'blank' | undefined {
  if (end === 0) return undefined
  const block = lines.slice(1, end - 1)
  if (!block.some((line) => /^paragraphs\s*:/.test(line))) return undefined
  try {
    const value: unknown = parseYaml(block.join('\n'))?.paragraphs
    return value === 'auto' || value === 'lines' || value === 'blank' ? value : undefined
  } catch {
    return undefined
  }
}
