/**
 * Index marks (`[words]{.index …}`, parsed by remark-attributes.ts): each
 * gets a book-unique id (`ch-3-idx-2`) that the index's locators link to,
 * and is listed in `file.data.indexMarks` with the numbered section it is
 * in, which the EPUB and web index show as its locator.
 */
import type { Root } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { chapterId } from '../../model/ids.ts'
import type { IndexMarkEntry } from '../../model/types.ts'

export function remarkIndexMarks() {
  return function (tree: Root, file: VFile) {
    const prefix = chapterId(file.data.chapterNumber?.value, file.data.chapterFile?.nameSlug ?? 'chapter')
    const marks: IndexMarkEntry[] = []
    let section: string | undefined
    visit(tree, (node) => {
      if (node.type === 'heading' && node.data?.sectionNumber) section = node.data.sectionNumber
      if (node.type !== 'indexMark') return
      const id = `${prefix}-idx-${marks.length + 1}`
      node.data = { ...node.data, hName: 'span', hProperties: { id, className: ['index-mark'] } }
      const text = toString(node).replace(/\s+/g, ' ').trim()
      marks.push({
        id,
        term: (node.term ?? text).replace(/\s+/g, ' ').trim(),
        ...(node.sub ? { sub: node.sub.trim() } : {}),
        ...(node.see ? { see: node.see.trim() } : {}),
        ...(node.seeAlso ? { seeAlso: node.seeAlso.trim() } : {}),
        ...(node.range ? { range: node.range } : {}),
        text,
        ...(section ? { section } : {}),
        line: node.position?.start.line ?? 0,
        column: node.position?.start.column ?? 0,
      })
    })
    file.data.indexMarks = marks
  }
}
