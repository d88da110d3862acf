/**
 * What an image that cannot go into the book becomes: its alt text and a
 * visible "[?]", like an unresolved link or citation. Only a `--draft`
 * build shows it; elsewhere the image is an error that stops the build.
 * Never an `<img>` without a `src` (invalid in every edition), and never a
 * silent gap. The source is not carried along: it may name a file outside
 * the book, and the diagnostic already says where it pointed.
 */
import type { Element } from 'hast'

/** Class of the span that replaces an unresolved image. */
export const UNRESOLVED_IMAGE_CLASS = 'image-unresolved'

/** Turn the image `node` in place into a span holding its alt text and a "[?]" marker. */
export function markUnresolvedImage(node: Element): void {
  const { id, lang, dir, alt } = node.properties
  const text = typeof alt === 'string' ? alt.trim() : ''
  node.tagName = 'span'
  node.properties = {
    ...(id === undefined ? {} : { id }),
    ...(lang === undefined ? {} : { lang }),
    ...(dir === undefined ? {} : { dir }),
    className: [UNRESOLVED_IMAGE_CLASS],
  }
  node.children = [
    ...(text ? [{ type: 'text' as const, value: `${text} ` }] : []),
    { type: 'element', tagName: 'span', properties: { className: [`${UNRESOLVED_IMAGE_CLASS}-marker`] }, children: [{ type: 'text', value: '[?]' }] },
  ]
}
