/**
 * Tell the author which raw HTML the sanitizer is about to remove, at its
 * line and column: silent loss would be worse than the markup itself.
 */
import type { Root } from 'hast'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../../checks/rules.ts'

const removed = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button',
  'textarea', 'select', 'link', 'meta', 'base', 'template', 'video', 'audio', 'source', 'track', 'picture',
  'svg', 'math', 'canvas', 'noscript', 'portal',
])

/** Report raw HTML elements and attributes that sanitizing removes. */
export function rehypeUnsafeHtml() {
  return function (tree: Root, file: VFile) {
    visit(tree, 'element', (node) => {
      if (removed.has(node.tagName)) {
        report(file, 'unsafe-html', `Unexpected \`<${node.tagName}>\` in the manuscript: it is removed, because a book must not run code, embed other documents or fetch anything. Remove it from the source`, node)
        return SKIP
      }
      for (const name of Object.keys(node.properties)) {
        if (/^on/i.test(name) || name === 'style' || name === 'srcSet') {
          report(file, 'unsafe-html', `Unexpected \`${name === 'srcSet' ? 'srcset' : name.toLowerCase()}\` attribute on \`<${node.tagName}>\`: it is removed (event handlers and inline styles are not allowed in a manuscript)`, node)
        }
      }
      return undefined
    })
  }
}
