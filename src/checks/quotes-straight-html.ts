/**
 * Rule `quotes-straight-html`: straight quotes in the text of a raw HTML
 * block. Quire curls the quotes of Markdown text, but leaves raw HTML as
 * written, so these reach the reader straight. Attribute values and
 * comments are not text and pass.
 */
import type { Html, Root } from 'mdast'
import { visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { reportSpan } from './prose.ts'

const markup = /<!--[\s\S]*?-->|<(script|style|pre|code)\b[\s\S]*?<\/\1\s*>|<[^>]*>/gi

export function remarkQuotesStraightHtml() {
  return function (tree: Root, file: VFile) {
    visit(tree, 'html', (node: Html) => {
      const start = node.position?.start.offset
      if (start === undefined || !/["']/.test(node.value)) return
      // The text between tags: mask the tags (and what must stay verbatim) to keep offsets.
      const text = String(file.value).slice(start, node.position!.end.offset).replace(markup, (tag) => ' '.repeat(tag.length))
      for (const match of text.matchAll(/["']/g)) {
        const at = start + match.index
        const kind = match[0] === '"' ? 'double quote' : match[0] === "'" && /\p{L}/u.test(text[match.index - 1] ?? '') && /\p{L}/u.test(text[match.index + 1] ?? '') ? 'apostrophe' : 'single quote'
        reportSpan(file, 'quotes-straight-html', `Unexpected straight ${kind} \`${match[0]}\` in raw HTML, which Quire does not curl: type ${kind === 'double quote' ? '“ or ”' : '’ or ‘'}, or write the passage in Markdown`, at, at + 1)
      }
    })
  }
}
