/**
 * Turn citeproc's HTML strings into hast the renderers can place. citeproc
 * marks small caps and the like with inline styles, which the HTML allow-list
 * drops, so they become classes first; then the result is sanitized with the
 * same allow-list as the manuscript, because reference data is as untrusted
 * as the text.
 */
import type { ElementContent, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { sanitize } from 'hast-util-sanitize'
import { visit } from 'unist-util-visit'
import { sanitizeSchema } from '../unified/sanitize-schema.ts'

const styleClasses: [RegExp, string][] = [
  [/font-variant:\s*small-caps/, 'small-caps'],
  [/font-style:\s*normal/, 'roman'],
  [/font-weight:\s*normal/, 'normal-weight'],
  [/text-decoration:\s*underline/, 'underline'],
  [/vertical-align:\s*sup/, 'superscript'],
  [/vertical-align:\s*sub/, 'subscript'],
]

/** The elements citeproc writes (formatting, entry layout, URL and DOI links). */
const citeprocElements = new Set(['a', 'b', 'i', 'em', 'strong', 'span', 'sup', 'sub', 'div', 'br'])

/**
 * A long book repeats its citations ("Ibid.", a work's short form): each
 * string is parsed once per build and copied after, since the trees are
 * placed into chapters that later stages change.
 */
const parsed = new Map<string, ElementContent[]>()

/** Parse a fragment of citeproc HTML into safe hast nodes. */
export function cslHtmlToHast(html: string): ElementContent[] {
  let nodes = parsed.get(html)
  if (!nodes) {
    // A preview runs build after build: the memory stays the size of one book's citations.
    if (parsed.size >= 50_000) parsed.clear()
    parsed.set(html, (nodes = parse(html)))
  }
  return nodes.map(copy)
}

/**
 * A copy later stages may change: elements, their properties and lists are
 * new; positions are shared (nothing writes to them). Called for every
 * citation, where `structuredClone`'s cost per call added up (on the long
 * book's warm rebuild the citation stage went from about 270 to 180 ms).
 */
function copy(node: ElementContent): ElementContent {
  if (node.type !== 'element') return { ...node }
  const properties: typeof node.properties = {}
  for (const [name, value] of Object.entries(node.properties)) properties[name] = Array.isArray(value) ? [...value] : value
  return { ...node, properties, children: node.children.map(copy) }
}

function parse(html: string): ElementContent[] {
  const tree = fromHtml(html.trim(), { fragment: true })
  visit(tree, 'element', (node) => {
    const style = node.properties.style
    if (typeof style !== 'string') return
    const classes = styleClasses.filter(([pattern]) => pattern.test(style)).map(([, name]) => name)
    delete node.properties.style
    if (classes.length > 0) node.properties.className = [...((node.properties.className as string[] | undefined) ?? []), ...classes]
  })
  visit(tree, 'element', (node) => {
    // URLs in references lead out of the book.
    if (node.tagName === 'a' && /^https?:/.test(String(node.properties.href))) node.properties.rel = ['noopener']
  })
  // citeproc escapes markup in references and Quire escapes the affixes it adds, so only citeproc's
  // own elements can be here; anything else (an <img>, a <link>) is unwrapped to its text, so
  // nothing in a citation or an entry can ever load a file.
  visit(tree, 'element', (node, index, parent) => {
    if (citeprocElements.has(node.tagName) || !parent || index === undefined) return undefined
    parent.children.splice(index, 1, ...node.children)
    return index
  })
  const clean = sanitize(tree, sanitizeSchema) as Root
  return clean.children as ElementContent[]
}
