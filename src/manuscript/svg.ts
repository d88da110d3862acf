/**
 * SVG files are XML documents a browser will happily run: scripts, event
 * attributes, entities declared in a DTD, style sheets that import others,
 * links to other files. A regular expression cannot tell what a parser will
 * see, so each SVG is parsed with a real XML parser (no DTD is read, no
 * entity expanded, nothing fetched) and its tree is inspected. A file with
 * none of those constructs is written to the editions as Quire's own
 * serialization of that tree, never as the bytes it was read from.
 */
import { DOMParser, type Attr, type Element as DomElement, type Node as DomNode } from '@xmldom/xmldom'
import type { Element as XastElement, ElementContent as XastContent, Root as XastRoot } from 'xast'
import { toXml } from 'xast-util-to-xml'

const SVG_NS = 'http://www.w3.org/2000/svg'
const XHTML_NS = 'http://www.w3.org/1999/xhtml'

/** Elements that run code or embed another document, in any namespace. */
const ACTIVE_ELEMENTS = new Set(['script', 'foreignobject', 'handler', 'listener'])

/** One construct that keeps an SVG file out of the book, with its line in the file. */
export interface SvgProblem {
  /** `unsafe`: active or external content; `malformed`: not an SVG document a reader could show. */
  kind: 'unsafe' | 'malformed'
  /** What it is, in a few words (“a <script> element”). */
  what: string
  /** 1-based line in the SVG file, when known. */
  line?: number
}

export interface SvgInspection {
  problems: SvgProblem[]
  /** The parsed tree serialized as UTF-8 XML, when there is no problem: what the editions carry. */
  serialized?: string
}

/** Parse SVG source text and find every construct an edition must not carry. */
export function inspectSvg(text: string): SvgInspection {
  const problems: SvgProblem[] = []
  const add = (kind: SvgProblem['kind'], what: string, line: number | undefined) => problems.push({ kind, what, ...(line === undefined ? {} : { line }) })
  const source = text.replace(/^\uFEFF/, '')
  const encoding = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']/.exec(source)?.[1]
  if (encoding && !/^utf-?8$/i.test(encoding)) add('malformed', `an XML declaration for ${encoding} text (Quire reads SVG as UTF-8: save it as UTF-8)`, 1)
  // The parser reports an unknown entity where its text run starts; each reference is found in the source instead.
  const unknownEntities = new Map<string, number | undefined>()
  let document
  try {
    document = new DOMParser({
      locator: true,
      onError(level, message, context: { locator?: { lineNumber?: number } }) {
        const line = context?.locator?.lineNumber
        const entity = /^entity not found:\s*(\S+)/.exec(message)
        if (entity) unknownEntities.set(entity[1]!, line)
        else add('malformed', `XML that does not parse (${level}: ${message.split('\n')[0]})`, line)
      },
    }).parseFromString(source, 'image/svg+xml')
  } catch {
    // Reported through onError before the parser gave up.
    if (problems.length === 0) add('malformed', 'XML that does not parse', undefined)
    return { problems: unique(problems) }
  }
  for (const [reference, line] of unknownEntities) {
    const lines = referenceLines(source, reference, document.documentElement?.lineNumber ?? 1)
    for (const at of lines.length ? lines : [line]) add('unsafe', `a reference to the entity ${reference} (only &amp; &lt; &gt; &quot; &apos; and numeric references are allowed)`, at)
  }
  let root: XastElement | undefined
  for (const node of Array.from(document.childNodes)) {
    if (node.nodeType === node.PROCESSING_INSTRUCTION_NODE && node.nodeName !== 'xml') add('unsafe', `a processing instruction <?${node.nodeName} …?>`, node.lineNumber)
    else if (node.nodeType === node.DOCUMENT_TYPE_NODE) add('unsafe', doctypeProblem(node as DomNode & { publicId?: string; systemId?: string; internalSubset?: string }), node.lineNumber)
    else if (node.nodeType === node.ELEMENT_NODE) {
      const element = node as DomElement
      // Declared, not defaulted: a reader shows an <svg> without its namespace as unknown XML.
      if (element.localName !== 'svg' || element.namespaceURI !== SVG_NS || element.getAttribute('xmlns') !== SVG_NS) add('malformed', `a root element <${element.nodeName}> where <svg xmlns="${SVG_NS}"> was expected`, element.lineNumber)
      try {
        root = convert(element, add)
      } catch (error) {
        if (!(error instanceof RangeError)) throw error
        add('malformed', 'elements nested too deeply to read', element.lineNumber)
      }
    }
  }
  if (!root && problems.length === 0) add('malformed', 'no <svg> element', undefined)
  if (problems.length > 0 || !root) return { problems: unique(problems) }
  const tree: XastRoot = { type: 'root', children: [{ type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' }, { type: 'text', value: '\n' }, root, { type: 'text', value: '\n' }] }
  return { problems, serialized: toXml(tree) }
}

/** The lines, from `from` on (past any DOCTYPE), where `reference` (`&name;`) is written in `source`. */
function referenceLines(source: string, reference: string, from: number): number[] {
  const lines: number[] = []
  let line = 1
  let last = 0
  for (let index = source.indexOf(reference); index >= 0; index = source.indexOf(reference, index + reference.length)) {
    for (let at = source.indexOf('\n', last); at >= 0 && at < index; at = source.indexOf('\n', at + 1)) line++
    last = index
    if (line >= from) lines.push(line)
  }
  return lines
}

/** A DOCTYPE, named by what makes it dangerous: entity declarations, an external DTD. */
function doctypeProblem(node: { publicId?: string; systemId?: string; internalSubset?: string }): string {
  const entities = [...(node.internalSubset ?? '').matchAll(/<!ENTITY\s+(%\s+)?([^\s>]+)\s*(SYSTEM|PUBLIC)?/g)]
  const parts: string[] = []
  const unquote = (id: string) => id.replace(/^(["'])(.*)\1$/, '$2')
  if (node.publicId || node.systemId) parts.push(`an external DTD (${node.publicId ? `PUBLIC "${unquote(node.publicId)}"` : `SYSTEM "${unquote(node.systemId!)}"`})`)
  const external = entities.filter((match) => match[3]).map((match) => match[2])
  const internal = entities.filter((match) => !match[3]).map((match) => match[2])
  if (internal.length) parts.push(`entity declarations (${internal.join(', ')})`)
  if (external.length) parts.push(`external entities (${external.join(', ')})`)
  return `a <!DOCTYPE>${parts.length ? ` declaring ${parts.join(' and ')}` : ''}`
}

/** Each problem once, in the order of the file. */
function unique(problems: SvgProblem[]): SvgProblem[] {
  const seen = new Set<string>()
  return problems
    .filter((problem) => !seen.has(`${problem.line}:${problem.what}`) && seen.add(`${problem.line}:${problem.what}`))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
}

type Add = (kind: SvgProblem['kind'], what: string, line: number | undefined) => void

/** The element as xast (comments left out), reporting what it must not hold. */
function convert(element: DomElement, add: Add): XastElement {
  const name = element.localName ?? element.nodeName
  if (ACTIVE_ELEMENTS.has(name.toLowerCase())) add('unsafe', `a <${element.nodeName}> element`, element.lineNumber)
  else if (element.namespaceURI === XHTML_NS) add('unsafe', `an HTML element <${element.nodeName}>`, element.lineNumber)
  const attributes: Record<string, string> = {}
  for (const attribute of Array.from(element.attributes)) {
    attributes[attribute.name] = attribute.value
    const problem = attributeProblem(attribute)
    if (problem) add('unsafe', `${problem} on <${element.nodeName}>`, attribute.lineNumber ?? element.lineNumber)
  }
  const children: XastContent[] = []
  let styleLine: number | undefined
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === child.ELEMENT_NODE) children.push(convert(child as DomElement, add))
    else if (child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) {
      styleLine ??= child.lineNumber
      children.push({ type: 'text', value: child.nodeValue ?? '' })
    } else if (child.nodeType === child.PROCESSING_INSTRUCTION_NODE) add('unsafe', `a processing instruction <?${child.nodeName} …?>`, child.lineNumber)
  }
  if (name.toLowerCase() === 'style') {
    // The style sheet as CSS reads it: every text and CDATA run together, comments between them gone.
    const css = children.map((child) => (child.type === 'text' ? child.value : '')).join('')
    for (const found of cssProblems(css)) add('unsafe', `${found.what} in a style sheet`, (styleLine ?? element.lineNumber ?? 1) + found.lineOffset)
  }
  return { type: 'element', name: element.nodeName, attributes, children }
}

/** What makes one attribute active or external, if anything. */
function attributeProblem(attribute: Attr): string | undefined {
  if (attribute.name === 'xmlns' || attribute.prefix === 'xmlns') return undefined
  const local = (attribute.localName ?? attribute.name).toLowerCase()
  const value = attribute.value
  if (local.startsWith('on')) return `an event handler attribute ${attribute.name}`
  if (attribute.name === 'xml:base') return `an xml:base attribute (${value})`
  if ((local === 'href' || local === 'src') && !value.trim().startsWith('#')) return `${attribute.name}="${value}" (it refers to ${value.trim()}, outside this file)`
  if (local === 'attributename') {
    const animated = value.trim().replace(/^[^:]*:/, '').toLowerCase()
    if (animated === 'href' || animated === 'src' || animated.startsWith('on')) return `an animation of ${value.trim()}`
  }
  const css = cssProblems(value)[0]
  return css ? `${css.what} in ${attribute.name}` : undefined
}

/** A style sheet's (or a presentation attribute's) references outside the file, read as CSS reads them. */
function cssProblems(css: string): { what: string; lineOffset: number }[] {
  // Comments out and escapes decoded first, so `@\69mport` or `u\72l(` cannot pass for harmless text.
  const chars: string[] = []
  const origins: number[] = []
  const token = /\/\*[\s\S]*?(?:\*\/|$)|\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\([\s\S])|[\s\S]/g
  for (let match = token.exec(css); match; match = token.exec(css)) {
    if (match[0].startsWith('/*')) continue
    const char = match[1] ? String.fromCodePoint(Math.min(parseInt(match[1], 16), 0x10ffff) || 0xfffd) : (match[2] ?? match[0])
    chars.push(char)
    origins.push(match.index)
  }
  const decoded = chars.join('')
  const lineOf = (index: number) => (css.slice(0, origins[index] ?? css.length).match(/\n/g) ?? []).length
  const found: { what: string; lineOffset: number }[] = []
  // `chars` holds one entry per decoded code unit sequence; map a decoded index back through the lengths.
  const indexOf = (offset: number) => {
    let length = 0
    for (let index = 0; index < chars.length; index++) {
      length += chars[index]!.length
      if (length > offset) return index
    }
    return chars.length
  }
  for (const match of decoded.matchAll(/@import\b/gi)) found.push({ what: '@import', lineOffset: lineOf(indexOf(match.index)) })
  for (const match of decoded.matchAll(/\burl\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))/gi)) {
    const target = (match[1] ?? match[2] ?? match[3] ?? '').trim()
    if (!target.startsWith('#')) found.push({ what: `url(${target})`, lineOffset: lineOf(indexOf(match.index)) })
  }
  // Functions that take a URL as a plain string.
  for (const match of decoded.matchAll(/(?<![\w-])(?:-webkit-)?(image-set|image|cross-fade|src)\s*\(/gi)) found.push({ what: `${match[1]}()`, lineOffset: lineOf(indexOf(match.index)) })
  return found
}
