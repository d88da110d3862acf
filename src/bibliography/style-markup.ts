/**
 * Markup in a book's own CSL style. CSL affixes and text values are plain
 * text: citeproc prints `<img src=…>` in a `prefix` as those characters, and
 * so does Quire for the citation layout's affixes, which it adds itself. An
 * author who wrote markup there meant something else, so each attribute
 * holding some is reported once, at its place in the style file.
 */
import path from 'node:path'
import { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import { pointAfter } from '../text/encoding.ts'

/** Attributes whose values citeproc prints. */
const printed = /\b(prefix|suffix|delimiter|value)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const markup = /<\s*\/?\s*[a-z!?][^>]*>?/i

/** A vfile for the style file `absolute` with a warning per attribute holding markup, or undefined when there is none. */
export function reportStyleMarkup(absolute: string, xml: string, cwd: string): VFile | undefined {
  const file = new VFile({ path: path.relative(cwd, absolute), cwd, value: xml })
  for (const match of xml.matchAll(printed)) {
    const value = decodeEntities(match[2] ?? match[3] ?? '')
    const tag = markup.exec(value)?.[0]
    if (!tag) continue
    const shown = tag.length > 40 ? `${tag.slice(0, 40)}…` : tag
    report(file, 'unsafe-html', `Unexpected markup \`${shown}\` in the style's \`${match[1]}\`: CSL affixes are plain text, so it prints as written and no element, image or link is made. Remove it, or use the style's formatting attributes (font-style, text-case …)`, pointAfter(xml.slice(0, match.index)))
  }
  return file.messages.length > 0 ? file : undefined
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!)
}
