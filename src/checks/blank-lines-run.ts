/**
 * Rule `blank-lines-run`: three or more blank lines in a row. One blank
 * line already ends a paragraph, so the others say nothing; `--fix` leaves
 * one (none at the start of the file, and the file ends with its last
 * line's ending). Blank lines inside code, raw HTML and front matter are
 * content and pass.
 */
import type { Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { reportSpan } from './prose.ts'

const frontMatter = /^---[ \t]*(?:\r\n|\r|\n)[\s\S]*?(?:\r\n|\r|\n)(?:---|\.\.\.)[ \t]*(?=\r\n|\r|\n|$)/

export function remarkBlankLinesRun() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)
    // Ranges where blank lines are content.
    const verbatim: [number, number][] = []
    const front = frontMatter.exec(source)
    if (front) verbatim.push([0, front[0].length])
    visit(tree, (node) => {
      if ((node.type === 'code' || node.type === 'html') && node.position?.start.offset !== undefined && node.position.end.offset !== undefined) {
        verbatim.push([node.position.start.offset, node.position.end.offset])
      }
    })
    let run: { start: number; end: number; count: number; eol: string } | undefined
    const flush = (atEnd: boolean) => {
      if (run && run.count >= 3 && !verbatim.some(([from, to]) => run!.start < to && run!.end > from)) {
        const text = run.start === 0 || atEnd ? '' : run.eol
        reportSpan(file, 'blank-lines-run', `Unexpected ${run.count} blank lines: one is enough between paragraphs`, run.start, run.end, {
          text,
          description: `collapsed ${run.count} blank lines`,
        })
      }
      run = undefined
    }
    const line = /([^\r\n]*)(\r\n|\r|\n|$)/y
    for (let at = 0; at < source.length; ) {
      line.lastIndex = at
      const match = line.exec(source)!
      const end = at + match[0].length
      // Blank to CommonMark: spaces and tabs only (a line holding a no-break space is text).
      if (/^[ \t]*$/.test(match[1]!) && match[2] !== '') {
        if (run) {
          run.end = end
          run.count++
        } else run = { start: at, end, count: 1, eol: match[2]! }
      } else flush(false)
      at = end
    }
    flush(true)
  }
}
