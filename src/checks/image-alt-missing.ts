/**
 * Rule `image-alt-missing`: an image with no alt text. Screen readers then
 * read nothing (or the file name), and the EPUB cannot claim its images are
 * described. Decorative images say so with an empty `alt=""` in raw HTML,
 * which is kept; a Markdown image `![](x.png)` has no way to say it, so it
 * is flagged too.
 */
import type { Element, ElementData, Root } from 'hast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'

export function rehypeImageAltMissing() {
  return function (tree: Root, file: VFile) {
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'img' || node.properties.src === undefined) return
      const alt = node.properties.alt
      if (typeof alt === 'string' && (alt.trim() !== '' || (alt === '' && !isMarkdownImage(node, file)))) return
      // The EPUB's accessibility metadata counts the image as undescribed.
      node.data = Object.assign(node.data ?? {}, { quireUndescribed: true }) as ElementData
      report(file, 'image-alt-missing', `Image \`${String(node.properties.src)}\` has no alt text: describe it for readers who cannot see it (![A map of Berlin, 1961](${String(node.properties.src)}))`, node)
    })
  }
}

/** Whether the image was written in Markdown (`![…](…)`) rather than as raw `<img>`. */
function isMarkdownImage(node: Element, file: VFile): boolean {
  const offset = node.position?.start.offset
  return offset !== undefined && String(file.value).startsWith('![', offset)
}
