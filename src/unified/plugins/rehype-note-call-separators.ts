/**
 * Two note calls with nothing between them (`text.[^1][^2]`, or a citation
 * and a footnote side by side) would read as one number ("¹²"). A comma
 * goes between them as text, in every edition, and only there: a CSS
 * sibling rule (`.noteref + .noteref`) cannot see the text between two
 * calls and put a comma before any second call in a paragraph.
 */
import type { Element, ElementContent, Root } from 'hast'
import { visit } from 'unist-util-visit'

export function rehypeNoteCallSeparators() {
  return function (tree: Root) {
    visit(tree, 'element', (node) => {
      const children = node.children
      if (children.length < 2) return
      const out: ElementContent[] = []
      // The last child that is not empty text: note placement can leave an empty text between two calls.
      let previous: ElementContent | undefined
      for (const child of children) {
        if (previous && isNoteCall(child) && isNoteCall(previous)) out.push(separator())
        out.push(child)
        if (!(child.type === 'text' && child.value === '')) previous = child
      }
      if (out.length !== children.length) node.children = out
    })
  }
}

function isNoteCall(node: ElementContent): boolean {
  if (node.type !== 'element' || node.tagName !== 'sup') return false
  const className = node.properties.className
  return Array.isArray(className) && className.includes('noteref')
}

function separator(): Element {
  return { type: 'element', tagName: 'sup', properties: { className: ['noteref-separator'] }, children: [{ type: 'text', value: ',' }] }
}
