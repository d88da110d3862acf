/**
 * The parts of the book: book.yaml's `parts:` (each a title and its first
 * and last chapter) or, without it, a chapter's `part:`, which opens a part
 * that runs until the next one or the back matter. A part holds chapters of
 * the body only, and parts follow one another in order; a part that breaks
 * that is reported where it is written and left out (a draft builds without
 * it), never bent to fit.
 */
import type { VFile } from 'vfile'
import type { Point } from 'unist'
import { report } from '../diagnostics/rules.ts'
import { configPoint } from '../config/load.ts'
import { labelsFor } from '../config/labels.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import type { BookPart, MarkdownChapter } from '../model/types.ts'
import { roman } from '../text/numerals.ts'
import { educateText } from '../unified/plugins/remark-typography.ts'

/** A part as found: its chapters' range (indices into the book's chapters) and where it is written. */
interface FoundPart {
  title: string
  epigraph?: string
  epigraphSource?: string
  first: number
  last: number
  file: VFile
  point: Point | undefined
}

/** Find the book's parts and mark each chapter with the part it is in. */
export function placeParts(chapters: MarkdownChapter[], config: ResolvedConfig, configFile: VFile, files: (chapter: MarkdownChapter) => VFile): BookPart[] {
  const found = config.parts ? fromConfig(chapters, config, configFile, files) : fromFrontMatter(chapters, files)
  const parts: BookPart[] = []
  let end = -1
  for (const part of found) {
    const outside = chapters.slice(part.first, part.last + 1).find((chapter) => chapter.matter !== 'body')
    if (part.first > part.last) {
      report(part.file, 'part-invalid', `Part “${part.title}” ends (${chapters[part.last]!.source}) before it begins (${chapters[part.first]!.source}): give its first chapter, then its last`, part.point)
    } else if (outside) {
      report(part.file, 'part-invalid', `Part “${part.title}” holds ${outside.source}, which is ${outside.matter} matter (${outside.role}): a part holds chapters of the body only. End the part before it`, part.point)
    } else if (part.first <= end) {
      report(part.file, 'part-invalid', `Part “${part.title}” begins at ${chapters[part.first]!.source}, inside the part before it: parts follow one another, so begin it after ${chapters[end]!.source}`, part.point)
    } else {
      const number = parts.length + 1
      // Typographer's quotes and dashes, as the chapters' text gets them.
      const set = (text: string) => educateText(text, config.language)
      parts.push({
        number,
        id: `part-${number}`,
        label: partLabel(number, config),
        title: set(part.title),
        ...(part.epigraph ? { epigraph: set(part.epigraph) } : {}),
        ...(part.epigraphSource ? { epigraphSource: set(part.epigraphSource) } : {}),
      })
      for (const chapter of chapters.slice(part.first, part.last + 1)) chapter.part = number
      end = part.last
    }
  }
  return parts
}

/** "Part One", "Part I" or "Part 1"; words where Quire has them for the book's language, else roman numerals. */
export function partLabel(number: number, config: Pick<ResolvedConfig, 'language' | 'partNumbers'>): string {
  const labels = labelsFor(config.language)
  const words = labels.numberWords?.[number - 1]
  const numeral = config.partNumbers === 'arabic' ? String(number) : config.partNumbers === 'words' && words ? words : roman(number).toUpperCase()
  return `${labels.part} ${numeral}`
}

/** book.yaml's `parts:`, each end found by file name or chapter number. A `part:` in a chapter is then reported: one place decides. */
function fromConfig(chapters: MarkdownChapter[], config: ResolvedConfig, configFile: VFile, files: (chapter: MarkdownChapter) => VFile): FoundPart[] {
  for (const chapter of chapters) {
    const point = files(chapter).data.frontMatter?.partPoint
    if (point) report(files(chapter), 'part-invalid', 'This chapter says which part it opens, and book.yaml lists the parts too: book.yaml’s `parts:` decides. Remove one of them', point)
  }
  const found: FoundPart[] = []
  for (const [index, part] of config.parts!.entries()) {
    const ends = part.chapters.map((name, end) => {
      const at = chapters.findIndex((chapter) => (typeof name === 'number' ? chapter.number === name && chapter.matter === 'body' : chapter.source === name.replace(/^\.\//, '')))
      if (at < 0) {
        const what = typeof name === 'number' ? `no chapter numbered ${name}` : `no chapter \`${name}\``
        report(configFile, 'part-invalid', `Part “${part.title}” ${end === 0 ? 'begins' : 'ends'} at ${what} in the book: give a chapter file name as \`chapters:\` lists it (${chapters[0]?.source ?? '01-first.md'}), or a chapter number`, configPoint(configFile, ['parts', index, 'chapters', end]) ?? configPoint(configFile, ['parts', index, 'chapters']))
      }
      return at
    })
    if (ends.some((at) => at < 0)) continue
    found.push({ title: part.title, ...epigraphOf(part), first: ends[0]!, last: ends[1]!, file: configFile, point: configPoint(configFile, ['parts', index]) })
  }
  return found
}

/** Each chapter whose front matter says `part:` opens a part, which runs through the chapters after it to the next part or the end of the body. */
function fromFrontMatter(chapters: MarkdownChapter[], files: (chapter: MarkdownChapter) => VFile): FoundPart[] {
  const found: FoundPart[] = []
  for (const [index, chapter] of chapters.entries()) {
    const file = files(chapter)
    const part = file.data.frontMatter?.part
    if (!part) continue
    let last = index
    while (last + 1 < chapters.length && chapters[last + 1]!.matter === 'body' && !files(chapters[last + 1]!).data.frontMatter?.part) last++
    found.push({ title: part.title, ...epigraphOf(part), first: index, last, file, point: file.data.frontMatter?.partPoint })
  }
  return found
}

function epigraphOf(part: { epigraph?: string; epigraphSource?: string }): { epigraph?: string; epigraphSource?: string } {
  return { ...(part.epigraph ? { epigraph: part.epigraph } : {}), ...(part.epigraphSource ? { epigraphSource: part.epigraphSource } : {}) }
}
