/**
 * Guards against manuscripts that would take the parser down: multi-megabyte
 * single files (unified needs seconds and gigabytes for them) and thousands
 * of nested block quotes or lists (the tree builders recurse and overflow the
 * stack). Checked on the raw text, before parsing.
 */
import type { VFile } from 'vfile'
import { report } from '../checks/rules.ts'

/** Largest chapter file parsed: 2 MiB, about 350,000 words. */
export const MAX_CHAPTER_BYTES = 2 * 1024 * 1024
/** Deepest nesting of block quotes and list items accepted. */
export const MAX_NESTING = 64

/** Longest run of one delimiter (`[`, `*`, `_`, `<`) accepted: longer runs make the inline parser quadratic. */
export const MAX_DELIMITER_RUN = 256
const delimiterRun = new RegExp(`([\\[*_<])\\1{${MAX_DELIMITER_RUN},}`)

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
