/**
 * The CSS that depends on the book: trim size and mirrored margins, the
 * body size for the measure, and one named page per part with its running
 * head. `styles/print.css` holds everything else.
 *
 * Chromium has no `string-set` and no `:first` for a named page group, so
 * each part gets its own page counter and a counter style that prints
 * nothing for the part's first page (its opening) and the running head
 * on every other: `counter(quire-ch-3, quire-rh-ch-3)`.
 */
import type { Trim } from '../../config/schema.ts'
import { BLEED, gutterFor, stores, type PrintPreset } from '../../config/stores.ts'
import type { PrintPart } from './print-document.ts'

/**
 * The page geometry for a trim size, in whole CSS pixels (96 to the inch).
 * Chromium lays a printed page out on whole pixels (an A5 page is 560 ×
 * 794 px; a 710.4 px content box holds 711), so margins are whole
 * pixels too: the paginator's columns are then exactly the pages' content
 * boxes.
 */
export interface PageGeometry {
  /** The `size` value for `@page`, in the trim's own unit. */
  size: string
  width: number
  height: number
  top: number
  bottom: number
  inner: number
  outer: number
  contentWidth: number
  contentHeight: number
  /** The page's exact size in PostScript points (trim plus bleed): Chromium's, rounded to pixels, is set back to it. */
  points: { width: number; height: number }
  /** Bleed added at the top, foot and outside edge (px; 0 without), included in the page size and those margins. */
  bleed: number
  /** Body text size in points. */
  textSize: number
  /** Line height, a multiple of the text size. */
  leading: number
}

const PX_PER_INCH = 96
const MM_PER_INCH = 25.4

/**
 * Margins that scale with the page: on a 6 × 9 in page, 0.75 in top, 0.85
 * bottom, 0.85 at the spine, 0.6 outside. For a store's preset
 * (`store.pages`: the page count the book is expected to print at), every
 * margin is at least the store's least, and the inside one is the outside
 * one plus the gutter the binding takes at that length (KDP's table), so
 * the text sits in the middle of what the reader sees; bleed adds 0.125 in
 * at the top, foot and outside edge.
 */
export function pageGeometry(trim: Trim, text: { fontSize?: number; leading?: number } = {}, store?: { preset: PrintPreset; pages: number }): PageGeometry {
  const inches = (value: number) => (trim.unit === 'mm' ? value / MM_PER_INCH : value)
  const widthIn = inches(trim.width)
  const heightIn = inches(trim.height)
  const bleedIn = store?.preset.bleed ? BLEED : 0
  // Chromium rounds a page size up to whole pixels (148 mm, 559.4 px, prints 560 wide).
  const width = Math.ceil((widthIn + bleedIn) * PX_PER_INCH - 1e-6)
  const height = Math.ceil((heightIn + 2 * bleedIn) * PX_PER_INCH - 1e-6)
  // For a store, rounded up: its least margin must hold after rounding.
  const px = (value: number) => (store ? Math.ceil(value * PX_PER_INCH - 1e-6) : Math.round(value * PX_PER_INCH))
  const least = store ? stores[store.preset.store].minMargin : 0
  const outerIn = Math.max((0.6 * widthIn) / 6, least)
  const bleed = px(bleedIn)
  // The running head sits 0.18 in above the text and the folio 0.2 in below it (print.css): with a store, both keep its least margin too.
  const top = px(Math.max((0.75 * heightIn) / 9, store ? least + 0.375 : 0)) + bleed
  const bottom = px(Math.max((0.85 * heightIn) / 9, store ? least + 0.4 : 0)) + bleed
  const inner = px(store ? outerIn + gutterFor(store.pages) : (0.85 * widthIn) / 6)
  const outer = px(outerIn) + bleed
  // The page is the trim plus the bleed, once across (the spine side has none) and twice down.
  const plus = (value: number, edges: number) => Math.round((value + edges * (trim.unit === 'mm' ? bleedIn * MM_PER_INCH : bleedIn)) * 1000) / 1000
  return {
    size: `${plus(trim.width, 1)}${trim.unit} ${plus(trim.height, 2)}${trim.unit}`,
    width,
    height,
    top,
    bottom,
    inner,
    outer,
    bleed,
    points: { width: (widthIn + bleedIn) * 72, height: (heightIn + 2 * bleedIn) * 72 },
    contentWidth: width - inner - outer,
    contentHeight: height - top - bottom,
    // Book.yaml's `print: font-size`, else a size that grows a little with the page.
    textSize: text.fontSize ?? Math.min(11.5, Math.max(9.5, Math.round((10.5 + (widthIn - 6) * 0.4) * 4) / 4)),
    leading: text.leading ?? 1.4,
  }
}

/**
 * A CSS string literal that is safe inside a `<style>` element: anything
 * but printable ASCII, and `<`, `"` and `\\`, as a hex escape.
 */
export function cssString(text: string): string {
  let out = ''
  for (const char of text.replace(/[\n\r\f\t]/g, ' ')) {
    const code = char.codePointAt(0)!
    out += code >= 0x20 && code < 0x7f && !'<>"\\&'.includes(char) ? char : `\\${code.toString(16)} `
  }
  return `"${out}"`
}

/** The font stacks (CSS `font-family` values) of the body text, the headings and code. */
export interface FontStacks {
  body: string
  headings: string
  mono: string
}

/** The generated stylesheet: page size, margins, folios, running heads, and the book's faces. */
export function pageStyles(geometry: PageGeometry, parts: PrintPart[], bookTitle: string, fonts: FontStacks): string {
  const { size, top, bottom, inner, outer } = geometry
  const lines = [
    `:root { --content-height: ${geometry.contentHeight}px; --text-size: ${geometry.textSize}pt; --leading: ${geometry.leading}; --body-font: ${fonts.body}; --heading-font: ${fonts.headings}; --mono-font: ${fonts.mono}; }`,
    // Running heads and folios in the body face: the margin boxes see no custom property.
    `@page { @top-center { font-family: ${fonts.body}; } @bottom-left { font-family: ${fonts.body}; } @bottom-right { font-family: ${fonts.body}; } }`,
    `@page { size: ${size}; margin: ${top}px ${outer}px ${bottom}px ${inner}px; }`,
    // Mirrored margins: the wider one is always at the spine.
    `@page :right { margin-left: ${inner}px; margin-right: ${outer}px; @bottom-right { content: counter(page); } }`,
    `@page :left { margin-left: ${outer}px; margin-right: ${inner}px; @bottom-left { content: counter(page); } @top-center { content: ${cssString(bookTitle)}; } }`,
    // Front matter: not counted in the body's folios; roman numerals on the contents only.
    `@page front { counter-increment: page 0 quire-front 1; @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }`,
    `@page toc { counter-increment: page 0 quire-front 1; @top-center { content: none; } }`,
    `@page toc:left { @bottom-left { content: counter(quire-front, lower-roman); } }`,
    `@page toc:right { @bottom-right { content: counter(quire-front, lower-roman); } }`,
    `@page blank { @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }`,
    // A part's title page: counted in the body's folios, none printed on it.
    `@page part { counter-increment: page 1; @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }`,
  ]
  for (const part of parts) {
    if (part.runningHead === undefined) continue
    const name = part.page
    lines.push(
      `@counter-style quire-rh-${name} { system: fixed 1; symbols: " "; fallback: quire-rh-${name}-text; }`,
      `@counter-style quire-rh-${name}-text { system: cyclic; symbols: ${cssString(part.runningHead)}; }`,
    )
    if (part.front) {
      // Front matter with running heads (a preface): counted in the roman folios, not the body's.
      lines.push(
        `@page ${name} { counter-increment: page 0 quire-front 1 quire-${name} 1; }`,
        `@page ${name}:right { @top-center { content: counter(quire-${name}, quire-rh-${name}); } @bottom-right { content: counter(quire-front, lower-roman); } }`,
        `@page ${name}:left { @bottom-left { content: counter(quire-front, lower-roman); } }`,
      )
    } else {
      lines.push(`@page ${name} { counter-increment: page 1 quire-${name} 1; }`, `@page ${name}:right { @top-center { content: counter(quire-${name}, quire-rh-${name}); } }`)
    }
  }
  return lines.join('\n') + '\n'
}
