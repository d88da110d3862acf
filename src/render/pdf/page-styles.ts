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
import type { PrintPart } from './print-document.ts'

/** The page geometry for a trim size, in inches. */
export interface PageGeometry {
  width: number
  height: number
  top: number
  bottom: number
  inner: number
  outer: number
  /** Body text size in points. */
  textSize: number
}

const MM = 25.4

/** Margins that scale with the page: on a 6 × 9 in page, 0.75 in top, 0.85 bottom, 0.85 at the spine, 0.6 outside. */
export function pageGeometry(trim: Trim): PageGeometry {
  const width = trim.unit === 'mm' ? trim.width / MM : trim.width
  const height = trim.unit === 'mm' ? trim.height / MM : trim.height
  const round = (value: number) => Math.round(value * 1000) / 1000
  return {
    width: round(width),
    height: round(height),
    top: round((0.75 * height) / 9),
    bottom: round((0.85 * height) / 9),
    inner: round((0.85 * width) / 6),
    outer: round((0.6 * width) / 6),
    textSize: Math.min(11.5, Math.max(9.5, Math.round((10.5 + (width - 6) * 0.4) * 4) / 4)),
  }
}

/** A CSS string literal. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`).replace(/[\n\r\f]/g, ' ')}"`
}

/** The generated stylesheet: page size, margins, folios, running heads. */
export function pageStyles(geometry: PageGeometry, parts: PrintPart[], bookTitle: string): string {
  const { width, height, top, bottom, inner, outer } = geometry
  const lines = [
    `:root { --page-width: ${width}in; --page-height: ${height}in; --content-height: ${height - top - bottom}in; --text-size: ${geometry.textSize}pt; }`,
    `@page { size: ${width}in ${height}in; margin: ${top}in ${outer}in ${bottom}in ${inner}in; }`,
    // Mirrored margins: the wider one is always at the spine.
    `@page :right { margin-left: ${inner}in; margin-right: ${outer}in; @bottom-right { content: counter(page); } }`,
    `@page :left { margin-left: ${outer}in; margin-right: ${inner}in; @bottom-left { content: counter(page); } @top-center { content: ${cssString(bookTitle)}; } }`,
    // Front matter: not counted in the body's folios; roman numerals on the contents only.
    `@page front { counter-increment: page 0 quire-front 1; @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }`,
    `@page toc { counter-increment: page 0 quire-front 1; @top-center { content: none; } }`,
    `@page toc:left { @bottom-left { content: counter(quire-front, lower-roman); } }`,
    `@page toc:right { @bottom-right { content: counter(quire-front, lower-roman); } }`,
    `@page blank { @top-center { content: none; } @bottom-left { content: none; } @bottom-right { content: none; } }`,
  ]
  for (const part of parts) {
    if (part.runningHead === undefined) continue
    const name = part.page
    lines.push(
      `@counter-style quire-rh-${name} { system: fixed 1; symbols: " "; fallback: quire-rh-${name}-text; }`,
      `@counter-style quire-rh-${name}-text { system: cyclic; symbols: ${cssString(part.runningHead)}; }`,
      `@page ${name} { counter-increment: page 1 quire-${name} 1; }`,
      `@page ${name}:right { @top-center { content: counter(quire-${name}, quire-rh-${name}); } }`,
    )
  }
  return lines.join('\n') + '\n'
}
