/**
 * The book's text face, from an npm `@fontsource` package, so no edition
 * depends on the fonts of the machine that builds or shows it. The
 * package's own CSS lists the faces and their unicode ranges; this module
 * rewrites it to point at copied woff2 files.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** The text face: Literata (SIL Open Font License 1.1: embedding allowed), with Latin, Cyrillic, Greek and Vietnamese. */
export const TEXT_FONT = { family: 'Literata', package: '@fontsource/literata' }

/** The weights and styles the book uses: regular, italic, bold, bold italic. */
const FACES = ['400', '400-italic', '700', '700-italic']

export interface FontBundle {
  /** `@font-face` rules with urls relative to the stylesheet (`fonts/…`). */
  css: string
  /** Font files to copy: absolute source → path relative to the stylesheet. */
  files: { from: string; to: string }[]
}

/**
 * The @font-face CSS and files for the text face, with urls under `prefix`.
 * With `text`, only the subsets (Latin, Cyrillic, Greek …) that its
 * characters fall in.
 */
export function textFontBundle(prefix = 'fonts/', text?: string): FontBundle {
  const root = path.dirname(require.resolve(`${TEXT_FONT.package}/package.json`))
  const files = new Map<string, string>()
  const rules: string[] = []
  for (const face of FACES) {
    const css = readFileSync(path.join(root, `${face}.css`), 'utf8')
    const blocks = text === undefined ? css : css.split(/(?=\/\* literata-)/).filter((block) => coversAny(block, text)).join('')
    rules.push(
      blocks.replace(/src:\s*url\(\.\/files\/([^)]+\.woff2)\)\s*format\('woff2'\)[^;]*;/g, (_, name: string) => {
        files.set(name, path.join(root, 'files', name))
        return `src: url(${prefix}${name}) format('woff2');`
      }),
    )
  }
  return { css: rules.join('\n'), files: [...files].map(([name, from]) => ({ from, to: `${prefix}${name}` })) }
}

/** Whether an @font-face block's `unicode-range` holds any character of `text` (a block without one holds all). */
function coversAny(block: string, text: string): boolean {
  const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1]
  if (!range) return /@font-face/.test(block)
  const spans = range.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-')
    return [parseInt(from!, 16), parseInt(to ?? from!, 16)] as const
  })
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (spans.some(([from, to]) => code >= from && code <= to)) return true
  }
  return false
}
