/**
 * Numbered section lines. A line on its own such as `7.2 The Long Winter` is
 * a section heading even though it is not Markdown heading syntax: its depth
 * comes from the number (7.2 → rank 2, 7.2.1 → rank 3). To keep ordinary
 * sentences that begin with a decimal ("7.2 percent of the harvest …") as
 * paragraphs, a heading line must be short, start its title with a capital
 * (or a script without case), not end like a sentence, and its first number
 * must be the chapter's number.
 *
 * Also settles the chapter's number: front matter, then a numbered title
 * heading, then the numbered section lines, then the file name.
 */
import type { Heading, Paragraph, PhrasingContent, Root, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'
import type { NumberSource } from '../../model/types.ts'
import { joinLines, paragraphLines, paragraphOf, span } from '../../text/mdast-lines.ts'

const sectionLine = /^(\d{1,3}(?:\.\d{1,3}){1,5})\.?[ \t]+(\S.*)$/
/** First letter: upper case, or a letter from a script without case (Korean, Chinese …). */
const titleStart = /^[\p{Pi}\p{Ps}"'“‘«(\d]*[\p{Lu}\p{Lt}\p{Lo}\d]/u
const sentenceEnd = /[.,;:]["'”’»)\]]*$/

export interface SectionLine {
  /** `7.2` split into its parts: [7, 2]. */
  parts: number[]
  number: string
  title: string
}

/** Whether a line of text has the shape of a numbered section line (chapter number not checked). */
export function looksLikeSectionLine(text: string): boolean {
  return parseSectionLine(text) !== undefined
}

/** Read a section line's number and title, or undefined when the line is not one. */
export function parseSectionLine(text: string): SectionLine | undefined {
  const match = sectionLine.exec(text.trim())
  if (!match) return undefined
  const title = match[2]!.trim()
  if (title.length > 100 || title.split(/\s+/).length > 14) return undefined
  if (!titleStart.test(title) || sentenceEnd.test(title)) return undefined
  const number = match[1]!
  return { parts: number.split('.').map(Number), number, title }
}

/** Turn numbered section lines into headings and settle the chapter number. */
export function remarkSectionLines() {
  return function (tree: Root, file: VFile) {
    // Candidates: the first line of each top-level paragraph.
    const candidates = new Map<Paragraph, { line: SectionLine; groups: PhrasingContent[][] }>()
    for (const node of tree.children) {
      // Cheap test first: only a paragraph that opens with a digit can hold a section line.
      if (node.type !== 'paragraph' || node.children[0]?.type !== 'text' || !/^\s*\d/.test(node.children[0].value)) continue
      const groups = paragraphLines(node, file)
      const first = groups[0]
      if (!first || !first[0] || first[0].type !== 'text') continue
      const line = parseSectionLine(toString({ type: 'paragraph', children: first }))
      if (line) candidates.set(node, { line, groups })
    }

    const chapterNumber = settleNumber(file, [...candidates.values()].map(({ line }) => line.parts[0]!))
    file.data.chapterNumber = chapterNumber

    const children: RootContent[] = []
    for (const node of tree.children) {
      const candidate = node.type === 'paragraph' ? candidates.get(node) : undefined
      if (!candidate) {
        children.push(node)
        continue
      }
      const { line, groups } = candidate
      if (line.parts[0] !== chapterNumber.value) {
        const expected = chapterNumber.value === undefined ? 'this chapter has no number' : `this is chapter ${chapterNumber.value}`
        report(
          file,
          'section-number-mismatch',
          `Unexpected section number \`${line.number}\`: ${expected}, so the line stays a paragraph. Renumber the section, or set \`number:\` in the front matter`,
          paragraphOf(groups[0]!),
        )
        children.push(node)
        continue
      }
      children.push(toHeading(groups[0]!, line))
      const rest = groups.slice(1)
      if (rest.length > 0) children.push(paragraphOf(joinLines(rest)))
    }
    tree.children = children
  }
}

function settleNumber(file: VFile, sectionNumbers: number[]): { value?: number; source: NumberSource } {
  const fromFrontMatter = file.data.frontMatter?.number
  if (fromFrontMatter === false) return { source: 'front-matter' }
  if (typeof fromFrontMatter === 'number') return { value: fromFrontMatter, source: 'front-matter' }
  // A preface or an appendix is not a numbered chapter, whatever its file name or sections say; `number:` may still give one (an introduction).
  if (file.data.frontMatter?.role) return { source: 'none' }
  const fromHeading = file.data.titleHeading?.number
  if (fromHeading !== undefined) return { value: fromHeading, source: 'heading' }
  const common = mostCommon(sectionNumbers)
  if (common !== undefined) return { value: common, source: 'sections' }
  const fromName = file.data.chapterFile?.fileNumber
  if (fromName !== undefined) return { value: fromName, source: 'file-name' }
  return { source: 'none' }
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  let best: number | undefined
  let bestCount = 0
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value
      bestCount = count
    }
  }
  return best
}

/** Build the heading: the number in its own element, then the title's own inline content. */
function toHeading(group: PhrasingContent[], line: SectionLine): Heading {
  const [first, ...others] = group
  const text = first as { type: 'text'; value: string }
  const afterNumber = text.value.replace(/^\s*\d+(?:\.\d+)*\.?[ \t]+/, '')
  const titleChildren: PhrasingContent[] = afterNumber ? [{ ...text, value: afterNumber }, ...others] : others
  const heading: Heading = {
    type: 'heading',
    depth: Math.min(6, line.parts.length) as Heading['depth'],
    children: [
      { type: 'sectionNumber', value: line.number },
      { type: 'text', value: ' ' },
      ...titleChildren,
    ],
    data: { sectionNumber: line.number, hProperties: { id: `sec-${line.parts.join('-')}` } },
  }
  const position = span(group)
  if (position) heading.position = position
  return heading
}
