/**
 * Typographer's quotes, dashes and ellipses. Straight quotes become curly
 * ones in the book's language, apostrophes included (don't, the '90s,
 * rock 'n' roll, "no"'s); `---` becomes an em dash; `--` an en dash between
 * figures (1914--1918) and an em dash elsewhere, as typewriter manuscripts
 * mean it; `...` an ellipsis, while a deliberately spaced `. . .` (Chicago's)
 * stays spaced, with no-break spaces so it never splits across lines. French
 * gets narrow no-break spaces before `; : ! ?` and inside guillemets, typed
 * or not. Code, raw HTML and URLs are left alone.
 *
 * Each block's text is read as one string, so a quote next to emphasis or a
 * citation is judged by its real neighbours.
 */
import type { Nodes, Root, Text } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { VFile } from 'vfile'

interface QuoteStyle {
  open: string
  close: string
  openSingle: string
  closeSingle: string
  /** Space set inside the marks (French guillemets). */
  inner: string
  /** Space set before `; : ! ?` (French). */
  beforeHigh: string
}

const styles: Record<string, QuoteStyle> = {
  en: { open: '“', close: '”', openSingle: '‘', closeSingle: '’', inner: '', beforeHigh: '' },
  de: { open: '„', close: '“', openSingle: '‚', closeSingle: '‘', inner: '', beforeHigh: '' },
  fr: { open: '«', close: '»', openSingle: '‹', closeSingle: '›', inner: '\u202F', beforeHigh: '\u202F' },
  ru: { open: '«', close: '»', openSingle: '„', closeSingle: '“', inner: '', beforeHigh: '' },
  es: { open: '«', close: '»', openSingle: '“', closeSingle: '”', inner: '', beforeHigh: '' },
  it: { open: '«', close: '»', openSingle: '“', closeSingle: '”', inner: '', beforeHigh: '' },
}

/** The quotation marks for a BCP 47 language tag (English marks when unknown). */
export function quoteStyle(language: string): QuoteStyle {
  return styles[language.toLowerCase().split('-')[0]!] ?? styles.en!
}

/** Stands in for an inline node that is not text (code, citation): a word character. */
const ATOM = '\uE000'
const url = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>"]*[^\s<>".,;:!?'")\]]|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]+/g
const elisions = /^(?:(?:tis|twas|em|cause|til|bout|round)\b|n'(?!\p{L}))/iu
const wordChar = /[\p{L}\p{N}\uE000]/u
/** Chicago's spaced ellipsis, three dots or four (a full stop before it). */
const spacedEllipsis = /^\.(?:[ \u00A0]\.){2,3}/
/** Spaces a French space before punctuation or inside guillemets replaces: typed ones, Word's no-break ones. */
const replaceable = /^[ \t\u00A0\u2009\u202F]$/
/** What a French high mark gets no space after: nothing, a space, an opening bracket, another such mark. */
const highAfter = /^$|[\s([{«‹“‘;:!?]/
/** What a closing guillemet gets no space after: nothing, a space (typed in an earlier node), its opening mark. */
const closeAfter = /^$|[\s«]/

/** Educate quotes, dashes and ellipses in text nodes. */
export function remarkTypography() {
  return function (tree: Root, file: VFile) {
    const style = quoteStyle(file.data.chapterFile?.language ?? 'en')
    educateBlocks(tree, style)
  }
}

function educateBlocks(node: Nodes, style: QuoteStyle): void {
  if (node.type === 'code' || node.type === 'html' || node.type === 'yaml') return
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell' || node.type === 'figureCaption') {
    educateBlock(node, style)
    return
  }
  if ('children' in node) for (const child of node.children) educateBlocks(child as Nodes, style)
}

/** Collect a block's text nodes in order, with atoms for the inline nodes that are not prose. */
function collect(node: Nodes, segments: (Text | string)[]): void {
  switch (node.type) {
    case 'text':
      segments.push(node)
      return
    case 'inlineCode':
    case 'citation':
    case 'image':
    case 'imageReference':
    case 'sectionNumber':
      segments.push(ATOM)
      return
    case 'html':
    case 'break':
      return
    case 'link':
      // An autolink's text is the URL itself: leave it alone.
      if (toString(node) === node.url || /^(https?:|www\.|mailto:)/.test(toString(node))) {
        segments.push(ATOM)
        return
      }
  }
  if ('children' in node) for (const child of node.children) collect(child as Nodes, segments)
}

function educateBlock(block: Nodes, style: QuoteStyle): void {
  const segments: (Text | string)[] = []
  collect(block, segments)
  const whole = segments.map((segment) => (typeof segment === 'string' ? segment : segment.value)).join('')
  const skip = protectedRanges(whole)
  let offset = 0
  // The last character written so far, across segments: what a quote follows.
  let last = ''
  const open = { double: false, single: false }
  for (const segment of segments) {
    if (typeof segment === 'string') {
      last = segment
      offset += segment.length
      continue
    }
    // Pieces joined once at the end: reading the last character of a growing string flattens it each time (quadratic on a long line).
    const out: string[] = []
    let prev = last
    const put = (text: string) => {
      out.push(text)
      prev = text[text.length - 1] ?? prev
    }
    const value = segment.value
    // A space typed before a mark that takes a narrow one (in this text node) is replaced, not kept.
    const narrowBefore = (space: string, unless: RegExp) => {
      while (out.length > 0 && replaceable.test(out[out.length - 1]!)) out.pop()
      prev = out[out.length - 1]?.slice(-1) ?? last
      if (!unless.test(prev)) put(space)
    }
    for (let i = 0; i < value.length; i++) {
      const at = offset + i
      const c = value[i]!
      if (skip(at)) {
        put(c)
        continue
      }
      const next = whole[at + 1] ?? ''
      const spaced = c === '.' ? spacedEllipsis.exec(value.slice(i, i + 7)) : null
      if (spaced) {
        put(spaced[0].replace(/ /g, '\u00A0'))
        i += spaced[0].length - 1
      } else if (c === '.' && value.startsWith('...', i)) {
        put('…')
        i += 2
      } else if (c === '-' && value.startsWith('---', i)) {
        put('—')
        i += 2
      } else if (c === '-' && next === '-' && value[i + 2] !== '-') {
        const between = /\d/.test(prev) && /\d/.test(value[i + 2] ?? '')
        put(between ? '–' : '—')
        i += 1
      } else if (c === '"' || (style.inner && (c === style.open || c === style.close))) {
        // A stray mark between spaces is judged by whether a quotation is open.
        const opening = c === '"' ? (prev === ' ' && (next === '' || /\s/.test(next)) ? !open.double : isOpeningContext(prev)) : c === style.open
        open.double = opening
        if (opening) {
          put(style.open)
          if (style.inner && next !== '') {
            // The author's own space after « becomes the narrow one.
            while (i + 1 < value.length && replaceable.test(value[i + 1]!)) i++
            put(style.inner)
          }
        } else {
          if (style.inner) narrowBefore(style.inner, closeAfter)
          put(style.close)
        }
      } else if (c === "'") {
        put(single(prev, value.slice(i + 1, i + 12), style, open))
      } else if (style.beforeHigh && (c === ';' || c === ':' || c === '!' || c === '?') && !isFigureColon(c, prev, next)) {
        narrowBefore(style.beforeHigh, highAfter)
        put(c)
      } else {
        put(c)
      }
    }
    segment.value = out.join('')
    last = prev
    offset += value.length
  }
}

/** A time or a ratio (10:30, 2:3): the colon between figures takes no space. */
function isFigureColon(c: string, prev: string, next: string): boolean {
  return c === ':' && /\d/.test(prev) && /\d/.test(next)
}

function isOpeningContext(prev: string): boolean {
  return prev === '' || /[\s([{\u2014\u2013\-/‘“„«‹]/.test(prev)
}

function single(prev: string, rest: string, style: QuoteStyle, open: { single: boolean }): string {
  const apostrophe = '’'
  if (wordChar.test(prev) && /^\p{L}/u.test(rest)) return apostrophe
  if (isOpeningContext(prev)) {
    if (/^\d{2}(?:s\b|\b)/.test(rest) || elisions.test(rest)) return apostrophe
    open.single = true
    return style.openSingle
  }
  // After a word or a closing mark: the close of an open quotation, else an apostrophe (students', "no"'s).
  if (open.single) {
    open.single = false
    return style.closeSingle
  }
  return apostrophe
}

/** Offsets inside URLs and e-mail addresses, which keep their characters. */
function protectedRanges(text: string): (offset: number) => boolean {
  const ranges: [number, number][] = []
  for (const match of text.matchAll(url)) ranges.push([match.index, match.index + match[0].length])
  if (ranges.length === 0) return () => false
  return (offset) => ranges.some(([from, to]) => offset >= from && offset < to)
}

/** A plain string (a part's title or epigraph from book.yaml) as a paragraph of the book would be set. */
export function educateText(text: string, language: string): string {
  const node: Text = { type: 'text', value: text }
  educateBlock({ type: 'paragraph', children: [node] }, quoteStyle(language))
  return node.value
}
