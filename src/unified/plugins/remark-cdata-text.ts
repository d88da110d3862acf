/**
 * A CDATA section written in a chapter (`<![CDATA[ a < b ]]>`) is text: it
 * is how XML says "these characters are not markup". CommonMark keeps it as
 * raw HTML, where an HTML parser reads it as a comment and every edition
 * would drop its content without a word; so it becomes the text it holds
 * (a paragraph, when it stands as a block), which the editions escape.
 */
import type { Paragraph, Root, Text } from 'mdast'
import { visit } from 'unist-util-visit'

const CDATA = /^<!\[CDATA\[([\s\S]*?)\]\]>$/

export function remarkCdataText() {
  return function (tree: Root) {
    visit(tree, 'html', (node, index, parent) => {
      const match = CDATA.exec(node.value.trim())
      if (!match || !parent || index === undefined) return
      const text: Text = { type: 'text', value: match[1]!, ...(node.position ? { position: node.position } : {}) }
      // A block stands where a paragraph may; inline, it is a run of text.
      const replacement: Text | Paragraph = parent.type === 'root' || parent.type === 'blockquote' || parent.type === 'listItem' ? { type: 'paragraph', children: [text], ...(node.position ? { position: node.position } : {}) } : text
      parent.children.splice(index, 1, replacement as never)
    })
  }
}
