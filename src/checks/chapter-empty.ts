/**
 * Rule `chapter-empty`: a chapter file with a title (or not even that) and
 * no text: a placeholder file, or a chapter whose text went elsewhere.
 */
import type { Root } from 'mdast'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'

const notText = new Set(['yaml', 'definition'])
const commentsOnly = /^(?:\s*<!--[\s\S]*?-->)*\s*$/

export function remarkChapterEmpty() {
  return function (tree: Root, file: VFile) {
    if (tree.children.some((node) => !notText.has(node.type) && !(node.type === 'html' && commentsOnly.test(node.value)))) return
    const size = String(file.value).length
    report(file, 'chapter-empty', `Unexpected empty chapter: ${size === 0 ? 'the file is empty' : 'it has no text after its title'}. Write it, or remove the file from the manuscript`, file.data.titleHeading?.heading?.position ?? { line: 1, column: 1 })
  }
}
