/**
 * An SVG shown through `<img>` cannot see the page's fonts, so Chromium
 * draws its text in whatever system font matches `sans-serif`. For print,
 * each SVG image gets the shipped faces its text needs embedded in its own
 * stylesheet (as data URLs) and is handed over as a data URL itself: still
 * an image, still unable to run a script or fetch anything. What is handed
 * over is the SVG's sanitized serialization (`editionImage`), so the
 * browser never loads the file as the author wrote it.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Root } from 'hast'
import { visit } from 'unist-util-visit'
import { KOREAN_FONT, TEXT_FONT, textFontBundle } from '../../fonts/bundle.ts'
import { editionImage } from '../../manuscript/images.ts'
import { sniffImageFile } from '../../manuscript/media-types.ts'

/** Embed fonts into the SVG images the page may load (`allowed` decides, as for any request). */
export function embedFontsInSvgImages(tree: Root, allowed: (url: string) => boolean): void {
  const done = new Map<string, string>()
  visit(tree, 'element', (node) => {
    const src = node.properties.src
    // A file the page may not read is left as it is, for the request filter to refuse and report.
    if (node.tagName !== 'img' || typeof src !== 'string' || !src.startsWith('file:') || !allowed(src)) return
    let dataUrl = done.get(src)
    if (dataUrl === undefined) {
      const file = fileURLToPath(src)
      dataUrl = sniffImageFile(file) === 'image/svg+xml' ? withFonts(Buffer.from(editionImage(file).bytes).toString('utf8')) : ''
      done.set(src, dataUrl)
    }
    if (dataUrl) node.properties.src = dataUrl
  })
}

function withFonts(svg: string): string {
  const text = svg.replace(/<[^>]*>/g, ' ')
  const css = [TEXT_FONT, KOREAN_FONT]
    .map((font) => {
      const bundle = textFontBundle('quire-font:', text, font)
      return bundle.files.reduce((rules, { from, to }) => rules.replace(`url(${to})`, `url(data:font/woff2;base64,${readFileSync(from).toString('base64')})`), bundle.css)
    })
    .join('\n')
  const style = `<style>${css}\ntext, tspan, textPath { font-family: ${TEXT_FONT.family}, '${KOREAN_FONT.family}' !important; font-synthesis: none; }</style>`
  const withStyle = svg.replace(/<svg\b[^>]*>/, (open) => `${open}${style}`)
  return `data:image/svg+xml;base64,${Buffer.from(withStyle).toString('base64')}`
}

