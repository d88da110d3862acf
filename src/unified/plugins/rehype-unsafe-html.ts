/**
 * Sanitize the chapter's HTML tree, and tell the author what the sanitizer
 * removed, at its line and column: silent loss would be worse than the
 * markup itself. What is reported is the difference between what
 * `hast-util-sanitize` keeps and what was there, element by element and
 * attribute by attribute, so nothing the schema drops goes unsaid.
 */
import type { Element, Root } from 'hast'
import { sanitize, type Schema } from 'hast-util-sanitize'
import { find, html } from 'property-information'
import { SKIP, visit } from 'unist-util-visit'
import type { VFile } from 'vfile'
import { report } from '../../diagnostics/rules.ts'

/** Elements removed because they run code, embed other documents or fetch: one message for each, none for what they hold. */
const active = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'form', 'input', 'button',
  'textarea', 'select', 'link', 'meta', 'base', 'template', 'video', 'audio', 'source', 'track', 'picture',
  'svg', 'math', 'canvas', 'noscript', 'portal',
])

/** Where an element's copy in the sanitized tree is found: sanitizing copies `data`, and nothing else of the node. */
const KEY = 'quireSanitized'

/** Sanitize with `schema`; report every manuscript element and attribute it removes. */
export function rehypeUnsafeHtml(schema: Schema) {
  return function (tree: Root, file: VFile): Root {
    let count = 0
    visit(tree, 'element', (node) => {
      node.data = { ...node.data, [KEY]: count++ } as Element['data']
    })
    const safe = sanitize(tree, schema) as Root
    const kept = new Map<number, Element>()
    visit(safe, 'element', (node) => {
      const data = dataOf(node)
      if (typeof data?.[KEY] !== 'number') return
      kept.set(data[KEY], node)
      delete data[KEY]
      if (Object.keys(data).length === 0) delete node.data
    })
    visit(tree, 'element', (node) => {
      const copy = kept.get(dataOf(node)?.[KEY] as number)
      // Only what the manuscript holds has a place to point at; Quire's own markup passes the schema by design.
      if (!node.position) return undefined
      if (!copy) {
        if (active.has(node.tagName)) {
          report(file, 'unsafe-html', `Unexpected \`<${node.tagName}>\` in the manuscript: it is removed, because a book must not run code, embed other documents or fetch anything. Remove it from the source`, node)
          return SKIP
        }
        const stripped = schema.strip?.includes(node.tagName) === true
        report(file, 'unsafe-html', `Unexpected \`<${node.tagName}>\` in the manuscript: it is removed${stripped ? ' with its content' : ', its content kept'}, as no edition keeps that element. Use Markdown or a kept element (\`<span>\`, \`<em>\`, \`<sup>\` …) instead`, node)
        return stripped ? SKIP : undefined
      }
      for (const [key, value] of Object.entries(node.properties)) {
        if (value === undefined || value === null || value === false || key in copy.properties) continue
        const name = find(html, key).attribute
        const why = /^on/i.test(key) || key === 'style' ? 'event handlers and inline styles are not allowed in a manuscript' : 'no edition keeps that attribute on that element'
        report(file, 'unsafe-html', `Unexpected \`${name}\` attribute on \`<${node.tagName}>\`: it is removed (${why})`, node)
      }
      return undefined
    })
    return safe
  }
}

function dataOf(node: Element): Record<string, unknown> | undefined {
  return node.data as unknown as Record<string, unknown> | undefined
}
