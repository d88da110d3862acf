/**
 * The one XML serializer of the EPUB: every document Quire packs (package
 * document, NCX, navigation and content XHTML) is written by `serializeXml`,
 * and epub-gen-memory receives only its output. Generic serializers leave
 * `>` as it is in text, so a `]]>` in a title or a paragraph ends a CDATA
 * section that never began and the file is not XML; here every text and
 * attribute value is escaped whole, no CDATA section is ever built from text,
 * and characters XML 1.0 cannot hold are left out (rule `character-invalid`
 * reports them in the manuscript first, so only a `--draft` build gets here
 * with one).
 */
import type { Nodes as XastNodes } from 'xast'

/**
 * What XML 1.0 forbids in a document, even as a character reference: C0
 * controls but tab and line breaks, lone surrogates, U+FFFE and U+FFFF.
 */
// eslint-disable-next-line no-control-regex -- these are the characters it finds.
export const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Text content: `&`, `<` and `>` as references (so `]]>` becomes `]]&#x3E;`). */
export function escapeXmlText(value: string): string {
  return value.replace(XML_FORBIDDEN, '').replace(/[&<>]/g, (char) => ENTITIES[char]!)
}

/**
 * An attribute value for double quotes; tab and line breaks as references
 * too, since a parser turns them into spaces otherwise.
 */
export function escapeXmlAttribute(value: string): string {
  return value.replace(XML_FORBIDDEN, '').replace(/[&<>"\t\n\r]/g, (char) => ENTITIES[char]!)
}

// Hexadecimal references, as the EPUB has always been written.
const ENTITIES: Record<string, string> = { '&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;', '"': '&#x22;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' }

/** An element or attribute name: Quire writes only known names, so anything else is a bug, not text to escape. */
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?$/

/** Serialize an xast tree (empty elements self-closed). */
export function serializeXml(node: XastNodes): string {
  switch (node.type) {
    case 'root':
      return node.children.map(serializeXml).join('')
    case 'element': {
      const name = checkedName(node.name)
      const attributes = Object.entries(node.attributes ?? {})
        .filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== undefined)
        .map(([key, value]) => ` ${checkedName(key)}="${escapeXmlAttribute(String(value))}"`)
        .join('')
      const content = node.children.map(serializeXml).join('')
      return content ? `<${name}${attributes}>${content}</${name}>` : `<${name}${attributes} />`
    }
    case 'text':
    // A CDATA section's text is written as text: escaping is what keeps `]]>` inside it harmless.
    case 'cdata':
      return escapeXmlText(node.value)
    case 'comment':
      // `--` may not appear in a comment, nor `-` at its end.
      return `<!--${node.value.replace(XML_FORBIDDEN, '').replace(/--/g, '- -').replace(/-$/, '- ')}-->`
    case 'instruction':
      return `<?${checkedName(node.name)}${node.value ? ` ${node.value.replace(XML_FORBIDDEN, '').replace(/\?>/g, '?&gt;')}` : ''}?>`
    case 'doctype':
      // Only the XHTML doctype is ever written: no identifiers, no internal subset.
      return `<!DOCTYPE ${checkedName(node.name)}>`
    default:
      throw new Error(`The EPUB's XML serializer met a ${(node as { type: string }).type} node, which it does not write: please report this`)
  }
}

function checkedName(name: string): string {
  if (!NAME.test(name)) throw new Error(`The EPUB's XML serializer was given the name "${name}", which is not an XML name: please report this`)
  return name
}
