/**
 * An epigraph: a block quote that opens a chapter, before any of its text,
 * and ends with an attribution line (`> -- L. P. Hartley, *The Go-Between*`).
 * It becomes `<blockquote class="epigraph" role="doc-epigraph">` (the EPUB
 * adds `epub:type="epigraph"`), its attribution a paragraph of its own,
 * set right-aligned, opening with an em dash. A quote anywhere else, or one
 * without an attribution, stays a block quote.
 *
 * The attribution may be its own paragraph (one line per paragraph) or the
 * last line of the quote's paragraph (a hard-wrapped chapter), which is
 * split off here; it runs after sanitizing, so positions and checks are not
 * its concern.
 */
import type { Element, ElementContent, Root, Text } from 'hast'
import { toString } from 'hast-util-to-string'
import { attributionDash } from '../block-ends.ts'


export function rehypeEpigraph() {
  return function (tree: Root) {
    const first = tree.children.find((node) => node.type === 'element' || (node.type === 'text' && node.value.trim() !== ''))
    if (first?.type !== 'element' || first.tagName !== 'blockquote') return
    const paragraphs = first.children.filter((node): node is Element => node.type === 'element' && node.tagName === 'p')
    const last = paragraphs.at(-1)
    if (!last) return
    let attribution: Element | undefined
    if (paragraphs.length > 1 && attributionDash.test(toString(last))) attribution = last
    else {
      attribution = splitLastLine(last)
      if (attribution) first.children.splice(first.children.indexOf(last) + 1, 0, { type: 'text', value: '\n' }, attribution)
    }
    if (!attribution) return
    const opening = attribution.children[0]
    if (opening?.type === 'text') opening.value = opening.value.replace(attributionDash, '— ')
    first.properties.className = [...((first.properties.className as string[] | undefined) ?? []), 'epigraph']
    first.properties.role = 'doc-epigraph'
    attribution.properties.className = ['epigraph-attribution']
  }
}

/** Split off a paragraph's last line if it is an attribution: the paragraph keeps the lines before it. */
function splitLastLine(paragraph: Element): Element | undefined {
  for (let index = paragraph.children.length - 1; index >= 0; index--) {
    const node = paragraph.children[index]!
    if (node.type !== 'text') continue
    const newline = node.value.lastIndexOf('\n')
    if (newline < 0) continue
    const line = node.value.slice(newline + 1)
    const rest = paragraph.children.slice(index + 1)
    if (!attributionDash.test(line + toString({ type: 'root', children: rest }))) return undefined
    const before = node.value.slice(0, newline).replace(/\s+$/, '')
    const after: Text = { type: 'text', value: line }
    const kept = [...paragraph.children.slice(0, index), ...(before ? [{ ...node, value: before }] : [])]
    // Nothing of the quote before it: a lone attribution, not an epigraph.
    if (toString({ type: 'root', children: kept }).trim() === '') return undefined
    paragraph.children = kept
    return { type: 'element', tagName: 'p', properties: {}, children: [after, ...rest] as ElementContent[] }
  }
  return undefined
}
