/**
 * Guards against manuscripts that would take the parser down: multi-megabyte
 * single files (unified needs seconds and gigabytes for them) and thousands
 * of nested block quotes or lists (the tree builders recurse and overflow the
 * stack). Checked on the raw text, before parsing.
 */
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'

/** Largest chapter file parsed: 2 MiB, about 350,000 words. */
export const MAX_CHAPTER_BYTES = 2 * 1024 * 1024
/** Deepest nesting of block quotes and list items accepted. */
export const MAX_NESTING = 64

/** Longest run of one delimiter (`[`, `*`, `_`, `<`) accepted: longer runs make the inline parser quadratic. */
export const MAX_DELIMITER_RUN = 256
const delimiterRun = new RegExp(`([\\[*_<])\\1{${MAX_DELIMITER_RUN},}`)

/**
 * Most runs of `*` or `_` in one paragraph. The parser pairs emphasis marks
 * in time that grows with the square of their number in a paragraph: 10,000
 * in one paragraph take seconds, 120,000 (a 180 KB line of `*a_`) never end. A
 * paragraph of ordinary prose has a few dozen.
 */
export const MAX_EMPHASIS_MARKS = 1_000

/**
 * Most runs of `*` or `_` in one chapter. Even in short paragraphs each costs
 * the parser about as much as a sentence of prose: a 2 MiB chapter of them
 * takes minutes. A long chapter with emphasis every dozen words has about
 * 1,200 per 8,000 words.
 */
export const MAX_CHAPTER_EMPHASIS_MARKS = 50_000

/** Thrown by the parser's wrapper for a paragraph or chapter over the limits above; `parseChapter` reports it. */
export class ChapterTooComplex extends Error {
  /** Where to look (1-based): the paragraph's first line, or the line where the chapter passed its limit. */
  readonly line: number

  constructor(line: number, scope: 'paragraph' | 'chapter') {
    super(
      scope === 'paragraph'
        ? `A paragraph with over ${MAX_EMPHASIS_MARKS.toLocaleString('en')} emphasis marks (\`*\`, \`_\`), more than Quire parses in reasonable time: break it into paragraphs, or escape marks meant as text (\`\\*\`)`
        : `Over ${MAX_CHAPTER_EMPHASIS_MARKS.toLocaleString('en')} emphasis marks (\`*\`, \`_\`) in the chapter by this line, more than Quire parses in reasonable time: split the chapter into several files, or escape marks meant as text (\`\\*\`)`,
    )
    this.line = line
  }
}

const fence = /^[ \t>]*(`{3,}|~{3,})/
const blockStart = /^[ \t>]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|\|)/

/**
 * Throw ChapterTooComplex at the first paragraph with more than
 * MAX_EMPHASIS_MARKS runs of `*` or `_`, or where the chapter passes
 * MAX_CHAPTER_EMPHASIS_MARKS. Paragraphs end at blank lines, at the
 * lines the paragraph mode makes paragraphs of their own (`breaksBefore`),
 * and where a list item, heading or table row starts; fenced code is not
 * counted. `from` is the first line after the front matter (0-based).
 */
export function assertEmphasisDensity(lines: string[], breaksBefore: ReadonlySet<number>, from = 0): void {
  let count = 0
  let total = 0
  let start = from
  let inFence: string | undefined
  for (let index = from; index < lines.length; index++) {
    const line = lines[index]!
    const opener = fence.exec(line)?.[1]
    if (inFence) {
      if (opener && opener[0] === inFence[0] && opener.length >= inFence.length) inFence = undefined
      continue
    }
    if (opener) {
      inFence = opener
      count = 0
      continue
    }
    if (/^[ \t>]*$/.test(line) || breaksBefore.has(index) || blockStart.test(line)) {
      count = 0
      start = index
    }
    for (let at = 0; at < line.length; at++) {
      const char = line[at]
      if (char !== '*' && char !== '_') continue
      while (line[at + 1] === char) at++
      if (++count > MAX_EMPHASIS_MARKS) throw new ChapterTooComplex(firstText(lines, start) + 1, 'paragraph')
      if (++total > MAX_CHAPTER_EMPHASIS_MARKS) throw new ChapterTooComplex(index + 1, 'chapter')
    }
  }
}

/** The first line from `index` that is not blank. */
function firstText(lines: string[], index: number): number {
  while (index < lines.length - 1 && /^[ \t>]*$/.test(lines[index]!)) index++
  return index
}

const containerPrefix = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+/

/** Report and return false when the chapter text is too large or too deeply nested to parse. */
export function withinLimits(file: VFile, byteLength: number): boolean {
  if (byteLength > MAX_CHAPTER_BYTES) {
    const mib = (byteLength / 1024 / 1024).toFixed(1)
    report(file, 'chapter-too-large', `Chapter is ${mib} MiB, over the ${MAX_CHAPTER_BYTES / 1024 / 1024} MiB Quire parses safely: split it into several chapter files`, { line: 1, column: 1 })
    return false
  }
  const lines = String(file.value).split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const run = delimiterRun.exec(line)
    if (run) {
      report(file, 'nesting-too-deep', `A run of ${run[0].length} \`${run[1]}\` characters, over the ${MAX_DELIMITER_RUN} Quire parses safely: shorten it`, { line: index + 1, column: run.index + 1 })
      return false
    }
    const prefix = containerPrefix.exec(line)?.[0]
    if (!prefix) continue
    const depth = (prefix.match(/>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])/g) ?? []).length
    const indentDepth = Math.floor((/^[ \t]*/.exec(line)?.[0].length ?? 0) / 2)
    if (depth > MAX_NESTING || indentDepth > MAX_NESTING * 2) {
      report(file, 'nesting-too-deep', `Block quotes or lists nested ${Math.max(depth, indentDepth)} deep, over the ${MAX_NESTING} Quire parses safely: flatten this passage`, { line: index + 1, column: 1 })
      return false
    }
  }
  return true
}
