/**
 * Hyphenation for print. Chromium's `hyphens: auto` needs dictionaries it
 * does not have offline, so Quire inserts soft hyphens itself, with TeX's
 * patterns for the book's language (the `hyphen` package), into running
 * text only: never headings, code, URLs or numbers.
 */
import { createRequire } from 'node:module'
import type { Element } from 'hast'
import { SKIP, visit } from 'unist-util-visit'

const require = createRequire(import.meta.url)

type Hyphenator = (text: string, options?: { hyphenChar?: string; minWordLength?: number; html?: boolean }) => string

/** Pattern sets of the `hyphen` package, by lowercase language tag or its first part. */
const PATTERNS: Record<string, string> = {
  en: 'en-us', 'en-us': 'en-us', 'en-gb': 'en-gb', 'en-au': 'en-gb', 'en-nz': 'en-gb', 'en-ie': 'en-gb',
  de: 'de-1996', 'de-ch': 'de-ch-1901', fr: 'fr', es: 'es', it: 'it', pt: 'pt', nl: 'nl', ru: 'ru', uk: 'uk', pl: 'pl',
  cs: 'cs', sk: 'sk', sv: 'sv', da: 'da', nb: 'nb', nn: 'nn', no: 'nb', fi: 'fi', hu: 'hu', ro: 'ro', tr: 'tr', ca: 'ca',
  el: 'el-monoton', hr: 'hr', sl: 'sl', et: 'et', lt: 'lt', lv: 'lv', bg: 'bg', la: 'la', ga: 'ga', cy: 'cy', eu: 'eu', gl: 'gl', is: 'is', id: 'id',
}

/** The hyphenator for a language, or undefined when there are no patterns for it. */
export function hyphenatorFor(language: string): Hyphenator | undefined {
  const tag = language.toLowerCase()
  const set = PATTERNS[tag] ?? PATTERNS[tag.split('-')[0]!]
  if (!set) return undefined
  return (require(`hyphen/${set}`) as { hyphenateSync: Hyphenator }).hyphenateSync
}

const SKIPPED = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'nav', 'header'])
const WORD = /\p{L}[\p{L}\p{M}]{5,}/gu

/** Insert soft hyphens into the words of running text in `tree` (the document's body). */
export function hyphenateTree(tree: Element, language: string): void {
  const hyphenate = hyphenatorFor(language)
  if (!hyphenate) return
  const cache = new Map<string, string>()
  const word = (text: string) => {
    let result = cache.get(text)
    if (result === undefined) cache.set(text, (result = hyphenate(text, { html: false, minWordLength: 6 })))
    return result
  }
  visit(tree, (node) => {
    if (node.type === 'element') {
      const element = node as Element
      if (SKIPPED.has(element.tagName)) return SKIP
      // A link that shows its own URL must not break at a syllable.
      if (element.tagName === 'a' && typeof element.properties.href === 'string' && /^\w+:/.test(element.properties.href)) return SKIP
      return undefined
    }
    if (node.type !== 'text' || /[/@]\S/.test(node.value)) return undefined
    node.value = node.value.replace(WORD, word)
    return undefined
  })
}
