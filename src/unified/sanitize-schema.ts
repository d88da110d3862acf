/**
 * The allow-list for the HTML tree. Manuscripts are untrusted: inline markup
 * an author needs survives (`<em>`, `<sup>`, `<span lang>`, tables …); scripts,
 * event handlers, frames, forms, styles and anything that would fetch a
 * resource do not. Quire's own markup (classes, data attributes, ids) is
 * allowed because it is produced before this pass.
 */
import type { Schema } from 'hast-util-sanitize'

const blocks = ['p', 'div', 'section', 'aside', 'blockquote', 'figure', 'figcaption', 'hr', 'pre', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']
const tables = ['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td']
const inline = ['a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'ins', 'kbd', 'mark', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr']

export const sanitizeSchema: Schema = {
  tagNames: [...blocks, ...tables, ...inline],
  attributes: {
    '*': ['id', 'className', 'lang', 'dir', 'title', 'role', 'ariaLabel', 'ariaLabelledBy', 'ariaHidden', 'data*'],
    a: ['href', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'dateTime'],
    ins: ['cite', 'dateTime'],
    time: ['dateTime'],
    data: ['value'],
    ol: ['start', 'reversed', 'type'],
    li: ['value'],
    td: ['colSpan', 'rowSpan', 'headers', 'align'],
    th: ['colSpan', 'rowSpan', 'headers', 'scope', 'abbr', 'align'],
    col: ['span'],
    colgroup: ['span'],
  },
  // Ids are Quire's own (`sec-7-2`) and the book has no scripts for ids to clobber.
  clobber: [],
  clobberPrefix: '',
  protocols: {
    href: ['http', 'https', 'mailto'],
    cite: ['http', 'https'],
    // An empty list would allow every protocol; this one matches none, so only
    // relative paths (already checked to stay inside the manuscript) survive.
    src: ['quire-relative-only'],
  },
  ancestors: { tbody: ['table'], td: ['table'], th: ['table'], thead: ['table'], tfoot: ['table'], tr: ['table'], caption: ['table'], col: ['table'], colgroup: ['table'] },
  strip: ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'title', 'textarea', 'select'],
}
