/**
 * Figure ids and numbers. Every figure gets a book-unique id
 * (`ch-3-fig-2`) and is listed in `file.data.figures` for the list of
 * figures. With `figures: numbered` in book.yaml each figure's caption
 * opens with its number in the chapter, per caption word ("Figure 3.2.",
 * "Map 3.1."); a number the author typed there ("Figure 2.") is replaced,
 * so captions stay in sequence when figures move.
 */
import type { PhrasingContent, Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { labelsFor } from '../../config/labels.ts'
import { CAPTION_WORDS } from './remark-figures.ts'
import { chapterId } from '../../model/ids.ts'
import type { FigureEntry } from '../../model/types.ts'
import type { FigureCaption } from '../types.ts'

export interface FigureNumbersOptions {
  /** `numbered` puts "Figure 3.2." before each caption (default: plain). */
  figures?: 'plain' | 'numbered'
}

/** A caption's own label: a caption word and a number (`Figure 2.`, `Map 3.1:`, `Plate IV —`). */
function authorLabel(words: string[]): RegExp {
  return new RegExp(`^\\s*(${words.map((word) => word.replace(/\./g, '\\.')).join('|')})\\s+(?:\\d+(?:[.-]\\d+)*|[IVXLC]+)(?=[\\s.:—–-]|$)\\.?\\s*(?:[:—–-]\\s*)?`, 'u')
}

/** Assign figure ids, number captions if asked, and list the figures. */
export function remarkFigureNumbers(options: FigureNumbersOptions = {}) {
  const numbered = options.figures === 'numbered'
  return function (tree: Root, file: VFile) {
    const chapter = file.data.chapterNumber?.value
    const prefix = chapterId(chapter, file.data.chapterFile?.nameSlug ?? 'chapter')
    const fallback = labelsFor(file.data.chapterFile?.language ?? 'en').figure
    const label = authorLabel([...CAPTION_WORDS, fallback])
    const counts = new Map<string, number>()
    const figures: FigureEntry[] = []
    visit(tree, 'figure', (figure) => {
      const id = `${prefix}-fig-${figures.length + 1}`
      figure.data = { ...figure.data, hProperties: { ...figure.data?.hProperties, id } }
      const caption = figure.children.find((child) => child.type === 'figureCaption')
      let number: string | undefined
      if (numbered && caption) {
        const word = takeAuthorLabel(caption.children, label) ?? fallback
        const count = (counts.get(word) ?? 0) + 1
        counts.set(word, count)
        number = `${word} ${chapter === undefined ? '' : `${chapter}.`}${count}.`
        caption.children.unshift({ type: 'figureLabel', value: number })
      }
      figures.push({ id, ...(number ? { label: number } : {}), caption: captionText(caption), line: figure.position?.start.line ?? 0 })
    })
    file.data.figures = figures
  }
}

/** A caption as plain text, without the number Quire gave it. */
function captionText(caption: FigureCaption | undefined): string {
  return caption ? toString(caption.children.filter((child) => child.type !== 'figureLabel')).trim() : ''
}

/** Remove "Figure 2." from the start of a caption; returns its word ("Figure"), if there was one. */
function takeAuthorLabel(children: PhrasingContent[], label: RegExp): string | undefined {
  const first = children[0]
  if (first?.type !== 'text') return undefined
  const match = label.exec(first.value)
  if (!match) return undefined
  ;(first as Text).value = first.value.slice(match[0].length)
  if (first.value === '') children.shift()
  return match[1]!.replace(/\.$/, '') === 'Fig' ? 'Figure' : match[1]!
}
