/**
 * Figures with captions. An image alone in its paragraph becomes a figure
 * when it has a title (`![A map](map.png "Figure 1. Berlin in 1961")`) or
 * when the next paragraph is one italic line that starts like a caption
 * (`*Figure 1. Berlin in 1961.*`, also Table, Map, Chart, Plate or the
 * book language's word for figure); the caption line is then the
 * figcaption, its italics dropped, and an image title it makes redundant
 * stays a title. Runs after citation markers (a caption may cite) and
 * before typography (a caption from a title gets curly quotes too).
 */
import type { Emphasis, Image, Paragraph, PhrasingContent, Root, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { Parent } from 'unist'
import { visit, SKIP } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { labelsFor } from '../../config/labels.ts'
import type { Figure, FigureCaption } from '../types.ts'

/** Words that open a caption line, in any language Quire labels, plus the book's own. */
export const CAPTION_WORDS = ['Figure', 'Fig.', 'Table', 'Map', 'Chart', 'Plate', 'Illustration']

/** Make captioned images into figures. */
export function remarkFigures() {
  return function (tree: Root, file: VFile) {
    const words = [...CAPTION_WORDS, labelsFor(file.data.chapterFile?.language ?? 'en').figure]
    const opener = new RegExp(`^(?:${words.map(escape).join('|')})(?=[\\s\\d.:])`, 'u')
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined || node.type !== 'paragraph') return
      const image = loneImage(node)
      if (!image) return
      const next = (parent as Parent).children[index + 1] as RootContent | undefined
      const line = next?.type === 'paragraph' ? captionLine(next, opener) : undefined
      if (!line && !image.title) return
      let caption: FigureCaption
      if (line) {
        caption = { type: 'figureCaption', children: line.children, ...(next!.position ? { position: next!.position } : {}) }
      } else {
        caption = { type: 'figureCaption', children: [{ type: 'text', value: image.title! }] }
        image.title = null
      }
      const figure: Figure = { type: 'figure', children: [image, caption], ...(node.position ? { position: node.position } : {}) }
      if (line && node.position && next!.position) figure.position = { start: node.position.start, end: next!.position.end }
      ;(parent as Parent).children.splice(index, line ? 2 : 1, figure as RootContent)
      return [SKIP, index + 1]
    })
  }
}

/** The image of a paragraph that holds nothing else (white space aside). */
function loneImage(paragraph: Paragraph): Image | undefined {
  const content = paragraph.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  return content.length === 1 && content[0]!.type === 'image' ? content[0] : undefined
}

/** A paragraph that is one emphasis starting with a caption word. */
function captionLine(paragraph: Paragraph, opener: RegExp): Emphasis | undefined {
  const content = paragraph.children.filter((child: PhrasingContent) => !(child.type === 'text' && child.value.trim() === ''))
  if (content.length !== 1 || content[0]!.type !== 'emphasis') return undefined
  return opener.test(toString(content[0]).trimStart()) ? content[0] : undefined
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
