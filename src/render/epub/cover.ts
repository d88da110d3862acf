/**
 * The cover image. The author's `cover:` when book.yaml names one;
 * otherwise a typographic cover (title, subtitle, authors, publisher, set
 * in the book's text face) rendered to PNG by the build's Chromium, so a
 * store never receives a book without a cover. A generated cover is cached
 * by a hash of its HTML: the same book reuses the same bytes and needs no
 * browser.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { BrowserSession } from '../../browser/session.ts'
import { openLockedPage } from '../../browser/session.ts'
import { HOLD_STYLE, showWithFonts } from '../../browser/fonts.ts'
import { editionImage } from '../../manuscript/images.ts'
import { sniffImage } from '../../manuscript/media-types.ts'
import type { Labels } from '../../config/labels.ts'
import type { ResolvedConfig } from '../../config/schema.ts'
import { authorNames, joinNames } from '../book-parts.ts'
import { COVER_COLOURS, DESIGN_WIDTH, FRAME_INSET, typographicCover } from '../typographic-cover.ts'
import { inlineFontCss, TEXT_FONT } from '../../fonts/bundle.ts'
import { QUIRE_VERSION } from '../../files/paths.ts'

export interface CoverImage {
  bytes: Uint8Array
  mediaType: 'image/png' | 'image/jpeg'
  /** Text for the image's alt attribute. */
  alt: string
  generated: boolean
}

/** Size of a generated cover in CSS pixels (the design's own); it is rendered at twice that (1600 × 2400, the 2:3 stores ask for). */
const SIZE = { width: DESIGN_WIDTH, height: 1200, scale: 2 }

export interface CoverOptions {
  browser?: BrowserSession
  /** Folder for cached generated covers (`build/.cache`). */
  cacheDir?: string
}

/** The book's cover: the author's image, or a generated one. */
export async function coverImage(config: ResolvedConfig, options: CoverOptions, labels: Pick<Labels, 'cover' | 'by'>): Promise<CoverImage> {
  const authors = authorNames(config)
  const byline = authors.length ? `, ${labels.by ? `${labels.by} ` : ''}${joinNames(authors, config.language)}` : ''
  const alt = `${labels.cover}: ${config.title}${config.subtitle ? `: ${config.subtitle}` : ''}${byline}`
  if (config.cover) {
    // book.yaml's check has reported anything else (`cover-invalid`, `asset-corrupt`) and dropped it; this guards a file changed since.
    const { bytes, mediaType } = editionImage(path.join(config.root, config.cover))
    if (mediaType !== 'image/png' && mediaType !== 'image/jpeg') throw new Error(`Cover ${config.cover} is not a JPEG or PNG image: convert it, or remove \`cover:\` from book.yaml to have one generated`)
    return { bytes, mediaType, alt, generated: false }
  }
  const html = coverHtml(config)
  const key = createHash('sha256').update(`${QUIRE_VERSION}\n${html}`).digest('hex').slice(0, 32)
  const cached = options.cacheDir ? path.join(options.cacheDir, 'covers', `${key}.png`) : undefined
  if (cached) {
    const bytes = await readFile(cached).catch(() => undefined)
    if (bytes && isCompletePng(bytes)) return { bytes, mediaType: 'image/png', alt, generated: true }
  }
  if (!options.browser) throw new Error('Generating a cover needs a browser: give book.yaml a `cover:` image, or build with a Chromium available')
  const bytes = await renderCover(html, options.browser)
  if (cached) {
    await mkdir(path.dirname(cached), { recursive: true })
    const staging = `${cached}.tmp-${process.pid}`
    await writeFile(staging, bytes)
    await rename(staging, cached)
  }
  return { bytes, mediaType: 'image/png', alt, generated: true }
}

/** A PNG that ends with its IEND chunk: a cache file cut short is never used. */
function isCompletePng(bytes: Uint8Array): boolean {
  const iend = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]
  return sniffImage(bytes) === 'image/png' && bytes.length > 20 && iend.every((byte, index) => bytes[bytes.length - 8 + index] === byte)
}

async function renderCover(html: string, session: BrowserSession): Promise<Uint8Array> {
  const browser = await session.browser()
  const page = await openLockedPage(browser)
  try {
    await page.setViewport({ width: SIZE.width, height: SIZE.height, deviceScaleFactor: SIZE.scale })
    await page.setContent(html, { waitUntil: 'load' })
    await showWithFonts(page)
    return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: SIZE.width, height: SIZE.height }, optimizeForSpeed: true })
  } finally {
    await page.close()
  }
}

/** The generated cover's page: fonts inlined as data URLs, so it loads nothing. */
export function coverHtml(config: ResolvedConfig): string {
  const authors = authorNames(config)
  const css = inlineFontCss([config.title, config.subtitle ?? '', ...authors, config.publisher ?? ''].join(' '))
  const cover = typographicCover(config, (px) => `${px}px`)
  const style = `
${css}
html, body { margin: 0; width: ${SIZE.width}px; height: ${SIZE.height}px; }
body { background: ${COVER_COLOURS.ground}; color: ${COVER_COLOURS.text}; font-family: '${TEXT_FONT.family}', serif; display: flex; }
${cover.css}
.frame { margin: ${FRAME_INSET}px; flex: 1; }
`
  const root = h('html', { lang: config.language }, [
    h('head', [h('meta', { charSet: 'utf-8' }), h('style', { id: HOLD_STYLE.id }, HOLD_STYLE.css), h('style', style)]),
    h('body', [cover.frame]),
  ])
  return '<!doctype html>' + toHtml(root)
}
