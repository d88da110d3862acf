/**
 * What a link that leads nowhere becomes: its text and a visible "[?]", with
 * the target as written in the tooltip, like an unresolved citation. Only a
 * `--draft` build shows it; elsewhere the link is an error that stops the
 * build. Never a dead `href` or an `<a>` without one, in any edition.
 */
import type { Element } from 'hast'

/** Class of the span that replaces an unresolved link. */
export const UNRESOLVED_LINK_CLASS = 'link-unresolved'

/** Turn the link `node` in place into a span holding its text and a "[?]" marker; `target` goes in its title. */
export function markUnresolvedLink(node: Element, target: string): void {
  unlink(node)
  node.properties = { ...node.properties, className: [UNRESOLVED_LINK_CLASS], title: target }
  node.children.push({ type: 'element', tagName: 'span', properties: { className: [`${UNRESOLVED_LINK_CLASS}-marker`] }, children: [{ type: 'text', value: '[?]' }] })
}

/** Turn the link `node` in place into a plain span with its text: a link whose target was removed. */
export function unlink(node: Element): void {
  const { id, lang, dir } = node.properties
  node.tagName = 'span'
  // An id stays: something may point at the link itself (`<a href="#x" id="top">`).
  node.properties = {
    ...(id === undefined ? {} : { id }),
    ...(lang === undefined ? {} : { lang }),
    ...(dir === undefined ? {} : { dir }),
  }
}
