/**
 * Rule `section-number-sequence`: numbered sections run 7.1, 7.2, 7.2.1,
 * 7.3 … A number that skips (7.1 → 7.3), repeats (7.2 twice) or runs
 * backwards (7.3 → 7.2) is a lost, duplicated or misplaced section.
 */
import type { Heading, Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { reportSpan } from './prose.ts'

export function remarkSectionNumberSequence() {
  return function (tree: Root, file: VFile) {
    const chapter = file.data.chapterNumber?.value
    if (chapter === undefined) return
    const source = String(file.value)
    const first = new Map<string, string>()
    let previous: number[] = [chapter]
    visit(tree, 'heading', (node: Heading) => {
      const number = node.data?.sectionNumber
      const start = node.position?.start.offset
      if (!number || start === undefined) return
      const parts = number.split('.').map(Number)
      const at = start + source.slice(start).indexOf(number)
      const place = `${node.position!.start.line}:${node.position!.start.column}`
      const seen = first.get(number)
      const problem = seen
        ? `repeats section ${number} (first at ${seen}): renumber one of them`
        : compare(parts, previous) < 0
          ? `runs backwards after ${previous.join('.')}: move the section, or renumber it`
          : !follows(parts, previous)
            ? `skips from ${previous.length === 1 ? `the chapter’s start` : previous.join('.')} (expected ${expected(previous).join(' or ')}): renumber it, or check for a lost section`
            : undefined
      if (problem) reportSpan(file, 'section-number-sequence', `Unexpected section number \`${number}\`: it ${problem}`, at, at + number.length)
      if (!seen) first.set(number, place)
      previous = parts
    })
  }
}

/** Whether `next` may follow `previous`: one level down from 1, or the next number at its level or above. */
function follows(next: number[], previous: number[]): boolean {
  return expected(previous).includes(next.join('.'))
}

function expected(previous: number[]): string[] {
  const options = [[...previous, 1].join('.')]
  for (let level = previous.length - 1; level >= 1; level--) options.push([...previous.slice(0, level), previous[level]! + 1].join('.'))
  return options
}

function compare(a: number[], b: number[]): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) if (a[index] !== b[index]) return a[index]! - b[index]!
  return a.length - b.length
}
