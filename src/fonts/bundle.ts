/**
 * The faces Quire ships, from npm `@fontsource` packages, so no edition
 * depends on the fonts of the machine that builds or shows it. Each
 * package's own CSS lists the faces and their unicode ranges; this module
 * rewrites it to point at the woff2 files, copied or in place.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(import.meta.url)

/** One family: its package, the faces Quire uses, and the files that tell its coverage. */
export interface FontFamily {
  family: string
  package: string
  /** Where to look the package up from (a book's folder, for a family it installed); Quire's own packages when absent. */
  from?: string
  /** Its licence, as an EPUB that packs it names it. */
  licence: string
  /** A family of font files inside the book (not a package): each style's file, relative to `from`, the manuscript folder. */
  files?: { face: string; file: string }[]
  /** Fontsource CSS names: `400`, `400-italic`, `700` … */
  faces: string[]
  /** The regular face's files, whose cmaps say which characters the family draws. */
  coverage: RegExp
}

/** Every face Quire ships is under the SIL Open Font License, which allows embedding and subsetting. */
const OFL = 'SIL Open Font License 1.1 (embedding allowed)'

/** The text face: Literata (SIL OFL 1.1: embedding allowed), with Latin, Cyrillic, Greek and Vietnamese; real italic and bold. */
export const TEXT_FONT: FontFamily = {
  family: 'Literata',
  package: '@fontsource/literata',
  licence: OFL,
  faces: ['400', '400-italic', '700', '700-italic'],
  coverage: /^literata-.*-400-normal\.woff2$/,
}

/** Korean, which Literata lacks: Gowun Batang (SIL OFL 1.1), a serif in regular and bold. */
export const KOREAN_FONT: FontFamily = {
  family: 'Gowun Batang',
  package: '@fontsource/gowun-batang',
  licence: OFL,
  faces: ['400', '700'],
  coverage: /^gowun-batang-korean-400-normal\.woff2$/,
}

/** The sans Quire ships besides, for headings or a book set in a sans: Source Sans 3 (SIL OFL 1.1). */
export const SANS_FONT: FontFamily = {
  family: 'Source Sans 3',
  package: '@fontsource/source-sans-3',
  licence: OFL,
  faces: ['400', '400-italic', '700', '700-italic'],
  coverage: /^source-sans-3-.*-400-normal\.woff2$/,
}

/** Code: Noto Sans Mono (SIL OFL 1.1), Latin, Cyrillic and Greek, regular and bold. */
export const MONO_FONT: FontFamily = {
  family: 'Noto Sans Mono',
  package: '@fontsource/noto-sans-mono',
  licence: OFL,
  faces: ['400', '700'],
  coverage: /^noto-sans-mono-.*-400-normal\.woff2$/,
}

export interface FontBundle {
  /** `@font-face` rules with urls under the prefix. */
  css: string
  /** Font files to copy: absolute source → path under the prefix. */
  files: { from: string; to: string }[]
}

/** The folder holding a family's woff2 files. */
export function fontFilesDir(font: FontFamily): string {
  if (font.files && font.from) return font.from
  const resolver = font.from ? createRequire(path.join(font.from, 'package.json')) : require
  return path.join(path.dirname(resolver.resolve(`${font.package}/package.json`)), 'files')
}

/**
 * The @font-face CSS and files for a family (default: the text face), with
 * urls under `prefix`. With `text`, only the subsets (Latin, Cyrillic,
 * Greek …) that its characters fall in.
 */
export function textFontBundle(prefix = 'fonts/', text?: string, font: FontFamily = TEXT_FONT): FontBundle {
  if (font.files) return localBundle(prefix, font)
  const files = new Map<string, string>()
  const dir = fontFilesDir(font)
  const rules: string[] = []
  for (const face of font.faces) {
    const css = readFileSync(path.join(dir, '..', `${face}.css`), 'utf8')
    const blocks = text === undefined ? css : css.split(/(?=\/\* )/).filter((block) => coversAny(block, text)).join('')
    rules.push(
      blocks.replace(/src:\s*url\(\.\/files\/([^)]+\.woff2)\)\s*format\('woff2'\)[^;]*;/g, (_, name: string) => {
        files.set(name, path.join(dir, name))
        return `src: url(${prefix}${name}) format('woff2');`
      }),
    )
  }
  return { css: rules.join('\n'), files: [...files].map(([name, from]) => ({ from, to: `${prefix}${name}` })) }
}

/**
 * The @font-face rules of a family of files in the book, one per style.
 * Printing reads each file where it is (`prefix` a file: URL of the
 * manuscript folder); an edition copies it under `prefix` by a name any zip
 * tool and reading system takes (`fonts/Book Face.woff2` → `fonts-Book-Face.woff2`).
 */
function localBundle(prefix: string, font: FontFamily): FontBundle {
  const formats: Record<string, string> = { woff2: 'woff2', ttf: 'truetype', otf: 'opentype' }
  const inPlace = prefix.startsWith('file:')
  const named = font.files!.map(({ face, file }) => ({ face, file, name: inPlace ? file.split('/').map(encodeURIComponent).join('/') : file.replace(/[^A-Za-z0-9._-]+/g, '-') }))
  const rules = named.map(({ face, file, name }) => {
    const [weight, style = 'normal'] = face.split('-')
    return `@font-face {\n  font-family: '${font.family}';\n  font-style: ${style};\n  font-weight: ${weight};\n  src: url(${prefix}${name}) format('${formats[path.extname(file).slice(1).toLowerCase()]}');\n}`
  })
  return { css: rules.join('\n'), files: named.map(({ file, name }) => ({ from: path.join(font.from!, file), to: `${prefix}${name}` })) }
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

/**
 * `@font-face` rules for `text` in the text face with the files inlined as
 * data URLs: a page built from it (a generated cover) loads nothing.
 */
export function inlineFontCss(text: string): string {
  const fonts = textFontBundle('font:', text)
  const files = new Map(fonts.files.map(({ from, to }) => [to, from]))
  return fonts.css.replace(/url\((font:[^)]+)\)/g, (_, name: string) => `url(data:font/woff2;base64,${readFileSync(files.get(name)!).toString('base64')})`)
}
