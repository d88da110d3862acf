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

/** The @font-face CSS and files for the text face, with urls under `prefix`. */
export function textFontBundle(prefix = 'fonts/'): FontBundle {
  const root = path.dirname(require.resolve(`${TEXT_FONT.package}/package.json`))
  const files = new Map<string, string>()
  const rules: string[] = []
  for (const face of FACES) {
    const css = readFileSync(path.join(root, `${face}.css`), 'utf8')
    rules.push(
      css.replace(/src:\s*url\(\.\/files\/([^)]+\.woff2)\)\s*format\('woff2'\)[^;]*;/g, (_, name: string) => {
        files.set(name, path.join(root, 'files', name))
        return `src: url(${prefix}${name}) format('woff2');`
      }),
    )
  }
  return { css: rules.join('\n'), files: [...files].map(([name, from]) => ({ from, to: `${prefix}${name}` })) }
}
