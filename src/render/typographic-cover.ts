/**
 * The cover Quire draws when book.yaml names no image: title, a rule, the
 * subtitle, the authors and the publisher in a gold frame on a dark ground.
 * One design for the EPUB's cover image (800 × 1200 px) and the printed
 * cover's front panel (drawn in inches): each gives `unit`, which turns the
 * design's pixels at 800 wide into its own lengths, and places the frame.
 */
import type { Element } from 'hast'
import { h } from 'hastscript'
import type { ResolvedConfig } from '../config/schema.ts'
import { authorNames, joinNames } from './book-parts.ts'

/** The design's width, in its own pixels: a panel `width` wide draws each at width / DESIGN_WIDTH. */
export const DESIGN_WIDTH = 800

/** The cover's colours: the ground, the text, the frame and rule, the subtitle. */
export const COVER_COLOURS = { ground: '#1f2d3a', text: '#f4efe6', gold: '#c8a96a', soft: '#e2d7c4' }

/** The frame's inset from the panel's edges, in design pixels. */
export const FRAME_INSET = 40

/** Title sizes by length, so a short title is large and a long one still fits. */
function titleSize(title: string): number {
  const length = title.length
  return length <= 16 ? 88 : length <= 32 ? 72 : length <= 60 ? 58 : length <= 100 ? 46 : 38
}

/** The frame's markup, and its rules (`.frame` and what is in it; the caller places the frame). */
export function typographicCover(config: ResolvedConfig, unit: (designPx: number) => string): { frame: Element; css: string } {
  const { gold, soft } = COVER_COLOURS
  const css = `
.frame { box-sizing: border-box; border: ${unit(2)} solid ${gold}; padding: ${unit(96)} ${unit(64)} ${unit(72)}; display: flex; flex-direction: column; text-align: center; }
.frame h1 { font-weight: 700; font-size: ${unit(titleSize(config.title))}; line-height: 1.12; margin: ${unit(120)} 0 0; text-wrap: balance; hyphens: manual; overflow-wrap: break-word; }
.frame .rule { width: ${unit(120)}; height: ${unit(2)}; background: ${gold}; margin: ${unit(48)} auto; }
.frame .subtitle { font-style: italic; font-size: ${unit(34)}; line-height: 1.3; margin: 0; color: ${soft}; text-wrap: balance; }
.frame .authors { margin-top: auto; font-size: ${unit(36)}; letter-spacing: 0.08em; font-variant: small-caps; text-wrap: balance; }
.frame .publisher { margin-top: ${unit(28)}; font-size: ${unit(20)}; letter-spacing: 0.2em; text-transform: uppercase; color: ${gold}; }
`
  const frame = h('div', { className: ['frame'] }, [
    h('h1', config.title),
    h('div', { className: ['rule'] }),
    ...(config.subtitle ? [h('p', { className: ['subtitle'] }, config.subtitle)] : []),
    h('p', { className: ['authors'] }, joinNames(authorNames(config), config.language)),
    ...(config.publisher ? [h('p', { className: ['publisher'] }, config.publisher)] : []),
  ])
  return { frame, css }
}
