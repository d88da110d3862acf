/**
 * Silencing one occurrence: `<!-- quire-ignore placeholder -->` (several
 * rule ids may follow, and a reason after `--` or `:`) silences the first
 * message of each named rule that starts after the comment, on the rest of
 * its line or, if the comment ends its line, on the next line with text.
 * A message about a whole chapter (`chapter-empty`, `chapter-title-guessed`,
 * `chapter-number-duplicate`) is silenced by such a comment anywhere in it.
 * A comment that silences nothing, or names no rule, is reported itself, so
 * stale comments do not pile up. book.yaml's `checks:` turns a rule off
 * everywhere.
 */
import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'
import { sourceLines } from '../text/mdast-lines.ts'
import type { IgnoreComment } from '../unified/types.ts'
import { report, rules, type RuleId } from '../diagnostics/rules.ts'

const directive = /<!--\s*quire-ignore\s+([\s\S]*?)\s*-->/g

/** Collect the quire-ignore comments of a chapter into `file.data.ignoreComments`. */
export function remarkIgnoreComments() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    const comments: IgnoreComment[] = []
    visit(tree, 'html', (node) => {
      const start = node.position?.start.offset
      if (start === undefined || !node.value.includes('quire-ignore')) return
      for (const match of node.value.matchAll(directive)) {
        const from = start + match.index + match[0].length
        const lines = sourceLines(file)
        const position = { start: lines.toPoint(start + match.index)!, end: lines.toPoint(from)! }
        const list = match[1]!.split(/\s+(?:--|:|—)\s*|\s*:\s+/)[0]!
        // `<!-- … --> text` opening a line is one raw HTML block: that text is never checked.
        const textAfter = node.position!.end.offset! > from && source.slice(from, node.position!.end.offset!).trim() !== ''
        comments.push({ rules: list.split(/[\s,]+/).filter(Boolean), position, from, to: reach(source, from), ...(textAfter ? { textAfter } : {}) })
      }
    })
    file.data.ignoreComments = comments
  }
}

/** The end of the rest of the line after `from`, or of the next line with text if the rest is blank. */
function reach(source: string, from: number): number {
  const lineEnd = (at: number) => {
    const found = source.slice(at).search(/\r\n|\r|\n/)
    return found < 0 ? source.length : at + found
  }
  const end = lineEnd(from)
  if (source.slice(from, end).trim() !== '') return end
  const next = /\S/.exec(source.slice(end))
  return next ? lineEnd(end + next.index) : end
}

/** Rules whose messages are about the chapter as a whole, wherever they point. */
const chapterRules = new Set<string>(['chapter-empty', 'chapter-title-guessed', 'chapter-number-duplicate'] satisfies RuleId[])

function isWholeFile(message: VFileMessage): boolean {
  return chapterRules.has(message.ruleId ?? '') || (message.line === 1 && message.column === 1 && !(message.place && 'end' in message.place && message.place.end))
}

/** Remove the messages each comment silences; report comments that silence nothing. */
export function applyIgnoreComments(files: VFile[]): void {
  for (const file of files) {
    const comments = file.data.ignoreComments
    if (!comments?.length) continue
    const lines = sourceLines(file)
    const offsetOf = (message: VFileMessage) =>
      message.place && 'start' in message.place
        ? (message.place.start.offset ?? lines.toOffset(message.place.start))
        : message.line
          ? lines.toOffset({ line: message.line, column: message.column ?? 1 })
          : undefined
    const silenced = new Set<VFileMessage>()
    for (const comment of comments) {
      for (const rule of comment.rules) {
        if (!(rule in rules)) {
          report(file, 'ignore-unknown-rule', `Unexpected rule \`${rule}\` in quire-ignore: no such rule. Use a rule id as \`quire check\` prints it`, comment.position)
          continue
        }
        // The first occurrence in the text, not in the order the rules reported them.
        let target: VFileMessage | undefined
        let targetAt = Infinity
        for (const message of file.messages) {
          if (message.ruleId !== rule || silenced.has(message)) continue
          const at = offsetOf(message)
          if (at !== undefined && at >= comment.from && at <= comment.to && at < targetAt) {
            target = message
            targetAt = at
          }
        }
        // A message about the whole chapter answers to a comment anywhere in it.
        target ??= file.messages.find((message) => message.ruleId === rule && !silenced.has(message) && isWholeFile(message))
        if (target) silenced.add(target)
        else if (comment.textAfter) {
          report(file, 'ignore-unused', `Unexpected quire-ignore for \`${rule}\`: the text after the comment on its line is read as raw HTML, so nothing there is checked. Put the comment on a line of its own, before the line it is for`, comment.position)
        } else {
          report(file, 'ignore-unused', `Unexpected quire-ignore for \`${rule}\`: nothing to silence on the line it applies to. Remove the comment, or move it just before the line`, comment.position)
        }
      }
    }
    file.messages = file.messages.filter((message) => !silenced.has(message))
  }
}
