/**
 * The full-wrap cover a print-on-demand service binds around the book
 * (`<slug>-cover.pdf`): back cover, spine and front cover on one sheet,
 * 2 × trim width + spine wide and the trim high, with 0.125 in of bleed all
 * round. The spine's width comes from the printed interior's page count
 * and the paper (stores.ts). Laid out as one HTML page, every size in
 * inches, and printed by the build's browser with its faces embedded.
 *
 * Back: book.yaml's `back-cover:` (else the description) and `author-bio:`,
 * with the barcode's 2 × 1.2 in box kept clear at the foot by the spine.
 * Spine: title, authors, publisher, read top to bottom, only when the store
 * allows text on a spine that thin. Front: the `cover:` image scaled to
 * fill the panel and its bleed, or the typographic cover of the EPUB.
 */
import path from 'node:path'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { Element } from 'hast'
import type { BrowserSession } from '../../browser/session.ts'
import { openLockedPage } from '../../browser/session.ts'
import { HOLD_STYLE, showWithFonts } from '../../browser/fonts.ts'
import { inlineFontCss, TEXT_FONT } from '../../fonts/bundle.ts'
import { editionImage } from '../../manuscript/images.ts'
import type { ResolvedConfig } from '../../config/schema.ts'
import { BARCODE, BLEED, coverSize, stores, storeTrim, type PrintPreset } from '../../config/stores.ts'
import { authorNames, joinNames } from '../book-parts.ts'
import { COVER_COLOURS, DESIGN_WIDTH, FRAME_INSET, typographicCover } from '../typographic-cover.ts'
import { printOnly } from './print-only.ts'

/** Where the cover's text keeps from the trim and the spine's folds (inches): the stores' safe area plus a little. */
const SAFE = 0.375

/** Room kept clear between the back cover's text and the barcode's box (inches). */
const BARCODE_GAP = 0.2

/**
 * Shrinks the back cover's text (to 8 pt at least) until it fits above the
 * barcode, and the spine's (to 5 pt) until it fits its length, dropping the
 * publisher, then the authors, if it must. What still does not fit is left
 * to show, not clipped: the preflight reports it (`print-cover-text`).
 * Returns what was dropped from the spine.
 */
const FIT_SCRIPT = `(() => {
  const overflows = (element) => element.scrollHeight > element.clientHeight + 0.5 || element.scrollWidth > element.clientWidth + 0.5
  const shrink = (element, least) => {
    let size = parseFloat(getComputedStyle(element).fontSize)
    while (overflows(element) && size > least) element.style.fontSize = (size = Math.max(least, size - 0.25)) + 'px'
  }
  shrink(document.querySelector('.back'), 8 * 96 / 72)
  const spine = document.querySelector('.spine')
  const dropped = []
  shrink(spine, 5 * 96 / 72)
  for (const name of ['publisher', 'authors']) {
    const part = spine.querySelector('.' + name)
    if (!overflows(spine) || !part) continue
    part.remove()
    dropped.push(name)
  }
  return dropped
})()`

/** The least room across the spine, between its clearances, for a line of type (inches: 5 pt). */
const SPINE_TYPE_MIN = 5 / 72

/** The cover sheet's geometry, in inches. */
export interface CoverLayout {
  width: number
  height: number
  spine: number
  trim: { width: number; height: number }
  /** Whether the spine carries text, and the room it keeps from each fold (inches). */
  spineText: boolean
  clearance: number
}

/** The cover's size for this book's printed page count. */
export function coverLayout(config: ResolvedConfig, preset: PrintPreset, pages: number): CoverLayout {
  const store = stores[preset.store]
  const trim = storeTrim(store, config.trim)
  if (!trim) throw new Error(`${store.name} does not print ${config.trim.name}`)
  const size = coverSize(store, preset, trim, pages)
  // A spine too thin for the store's rule, or for a line of 5 pt type between its clearances, stays plain.
  const spineText = pages >= store.spineTextPages && size.spine - 2 * store.spineClearance >= SPINE_TYPE_MIN
  return { ...size, trim, spineText, clearance: store.spineClearance }
}

/** The cover sheet as a self-contained HTML page (fonts and the image inlined). */
export function coverDocument(config: ResolvedConfig, layout: CoverLayout): string {
  const authors = joinNames(authorNames(config), config.language)
  const blurb = config.backCover ?? config.description ?? ''
  const text = [config.title, config.subtitle ?? '', authors, config.publisher ?? '', blurb, config.authorBio ?? ''].join(' ')
  const { width, height, spine, trim } = layout
  const frontLeft = BLEED + trim.width + spine
  // Without an image, the front is the EPUB's cover drawn at this panel's size: the design's width is the trim's.
  const k = trim.width / DESIGN_WIDTH
  const typographic = config.cover ? undefined : typographicCover(config, (px) => `${px * k}in`)
  const { ground, text: ink, gold, soft } = COVER_COLOURS
  const style = `
${inlineFontCss(text)}
@page { size: ${width}in ${height}in; margin: 0; }
html, body { margin: 0; width: ${width}in; height: ${height}in; }
body { position: relative; overflow: hidden; background: ${ground}; color: ${ink}; font-family: '${TEXT_FONT.family}', serif; }
.panel { position: absolute; box-sizing: border-box; }
.back { left: ${BLEED + SAFE}in; top: ${BLEED + SAFE}in; width: ${trim.width - 2 * SAFE}in; height: ${trim.height - SAFE - BARCODE.inset - BARCODE.height - BARCODE_GAP}in; font-size: 12pt; line-height: 1.45; }
.back p { margin: 0 0 0.8em; text-align: justify; hyphens: manual; }
.back .bio { margin-top: 1.6em; font-style: italic; font-size: 0.8em; color: ${soft}; }
.barcode { position: absolute; left: ${BLEED + trim.width - BARCODE.inset - BARCODE.width}in; top: ${BLEED + trim.height - BARCODE.inset - BARCODE.height}in; width: ${BARCODE.width}in; height: ${BARCODE.height}in; background: #fff; }
.spine { left: ${BLEED + trim.width}in; top: ${BLEED + SAFE}in; width: ${spine}in; height: ${trim.height - 2 * SAFE}in; display: flex; align-items: center; justify-content: space-between; gap: 0.3in; writing-mode: vertical-rl; font-size: ${Math.min(14, Math.max(5, (spine - 2 * layout.clearance) * 72 * 0.75)).toFixed(2)}pt; white-space: nowrap; }
.spine .title { font-weight: 700; }
.spine .publisher { font-size: 0.7em; letter-spacing: 0.15em; text-transform: uppercase; color: ${gold}; }
.front { left: ${frontLeft}in; top: 0; width: ${trim.width + BLEED}in; height: ${height}in; }
.front img { width: 100%; height: 100%; object-fit: cover; display: block; }
.frame { position: absolute; left: ${FRAME_INSET * k}in; top: ${BLEED + FRAME_INSET * k}in; width: ${trim.width - 2 * FRAME_INSET * k}in; height: ${trim.height - 2 * FRAME_INSET * k}in; }
${typographic?.css ?? ''}
`
  const paragraphs = blurb.split(/\n\s*\n/).map((paragraph) => paragraph.trim()).filter(Boolean)
  const panels: Element[] = [
    h('div', { className: ['panel', 'back'] }, [...paragraphs.map((paragraph) => h('p', paragraph)), ...(config.authorBio ? [h('p', { className: ['bio'] }, config.authorBio)] : [])]),
    h('div', { className: ['barcode'], title: 'barcode' }),
    h('div', { className: ['panel', 'spine'] }, layout.spineText ? [h('span', { className: ['title'] }, config.title), h('span', { className: ['authors'] }, authors), ...(config.publisher ? [h('span', { className: ['publisher'] }, config.publisher)] : [])] : []),
    h('div', { className: ['panel', 'front'] }, [typographic?.frame ?? coverImage(config)]),
  ]
  const root = h('html', { lang: config.language }, [h('head', [h('meta', { charSet: 'utf-8' }), h('style', { id: HOLD_STYLE.id }, HOLD_STYLE.css), h('style', style)]), h('body', panels)])
  return '<!doctype html>' + toHtml(root)
}

/** The author's `cover:` image, as a data URL: the page loads nothing. */
function coverImage(config: ResolvedConfig): Element {
  const { bytes, mediaType } = editionImage(path.join(config.root, config.cover!))
  return h('img', { src: `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}`, alt: '' })
}

/** Print the cover sheet in the build's browser: one page, its faces embedded. */
export async function printCover(html: string, layout: CoverLayout, session: BrowserSession, onProgress: (step: string) => void = () => {}): Promise<Uint8Array> {
  const browser = await session.browser()
  // Everything is inlined: the page may fetch nothing.
  const page = await openLockedPage(browser)
  try {
    await page.setContent(html, { waitUntil: 'load' })
    await showWithFonts(page)
    const dropped = (await page.evaluate(FIT_SCRIPT)) as string[]
    if (dropped.length > 0) onProgress(`cover: the spine is too short for the ${dropped.join(' and the ')}, left off it`)
    return await printOnly(page, { width: `${layout.width}in`, height: `${layout.height}in`, printBackground: true, outline: false, tagged: false, timeout: 0, pageRanges: '1' })
  } finally {
    await page.close()
  }
}
