/**
 * GFM task lists (`- [x] done`) become list items with a ballot box
 * character instead of a disabled form control: a book has no forms, the
 * sanitizer removes `<input>`, and EPUB readers draw inputs poorly. Runs
 * before raw HTML is parsed, so every `<input>` here came from Markdown.
 */
import type { Root } from 'hast'
import { visit } from 'unist-util-visit'

export function rehypeTaskCheckboxes() {
  return function (tree: Root) {
    visit(tree, 'element', (node, index, parent) => {
      if (node.tagName !== 'input' || node.properties.type !== 'checkbox' || !parent || index === undefined) return
      const checked = node.properties.checked === true
      parent.children[index] = {
        type: 'element',
        tagName: 'span',
        properties: { className: ['task-box', checked ? 'task-done' : 'task-open'] },
        children: [{ type: 'text', value: checked ? '☑' : '☐' }],
        ...(node.position ? { position: node.position } : {}),
      }
    })
  }
}
