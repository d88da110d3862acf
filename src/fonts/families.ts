/**
 * The faces a book is set in: book.yaml's `fonts: {body, headings, mono}`,
 * each the name of an `@fontsource` family ("Source Serif 4") installed in
 * the book's `node_modules` (or a folder above it) or Quire's. A name that
 * finds no package is reported at its key with the command that installs
 * it; until then the default face stands in.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import { configPoint } from '../config/load.ts'
import type { ResolvedConfig } from '../config/schema.ts'
import { KOREAN_FONT, MONO_FONT, SANS_FONT, TEXT_FONT, type FontFamily } from './bundle.ts'

/** The families a book's editions use. */
export interface BookFonts {
  body: FontFamily
  headings: FontFamily
  mono: FontFamily
}

/** The faces Quire sets, best first: the regular, italic, bold and bold italic. */
const FACES = ['400', '400-italic', '700', '700-italic']

const shipped = new Map([TEXT_FONT, SANS_FONT, MONO_FONT, KOREAN_FONT].map((font) => [font.package, font]))

/** `@fontsource/<name>` for a family name ("Source Serif 4" → `@fontsource/source-serif-4`) or a package name. */
export function fontPackage(name: string): string {
  const trimmed = name.trim()
  return trimmed.startsWith('@fontsource/') ? trimmed : `@fontsource/${trimmed.toLowerCase().replace(/\s+/g, '-')}`
}

const found = new Map<string, FontFamily | undefined>()

/** The family `name` names, looked up from the manuscript folder `root`, or undefined when no such package is installed. */
export function findFamily(name: string, root: string): FontFamily | undefined {
  const pkg = fontPackage(name)
  const key = `${pkg}\0${root}`
  if (found.has(key)) return found.get(key)
  let family: FontFamily | undefined = shipped.get(pkg)
  if (!family) {
    try {
      const dir = path.dirname(createRequire(path.join(root, 'package.json')).resolve(`${pkg}/package.json`))
      const faces = FACES.filter((face) => existsSync(path.join(dir, `${face}.css`)))
      const declared = /font-family:\s*'([^']+)'/.exec(faces.length > 0 ? readFileSync(path.join(dir, `${faces[0]}.css`), 'utf8') : '')?.[1]
      const slug = pkg.slice('@fontsource/'.length)
      const licence = String((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { license?: unknown }).license ?? 'licence not stated')
      if (faces.includes('400') && declared) family = { family: declared, package: pkg, from: root, licence, faces, coverage: new RegExp(`^${slug.replace(/[^a-z0-9-]/g, '')}-.*-400-normal\\.woff2$`) }
    } catch {
      family = undefined
    }
  }
  found.set(key, family)
  return family
}

/** The book's families: each named one found, else Quire's default (body Literata, headings the body's, code Noto Sans Mono). */
export function bookFonts(config: Pick<ResolvedConfig, 'fonts' | 'root'>): BookFonts {
  const named = (name: string | undefined) => (name === undefined ? undefined : findFamily(name, config.root))
  const body = named(config.fonts.body) ?? TEXT_FONT
  return { body, headings: named(config.fonts.headings) ?? body, mono: named(config.fonts.mono) ?? MONO_FONT }
}

/** Report each `fonts:` name that finds no installed family, at its key, with the command that installs it. */
export function checkFonts(config: Pick<ResolvedConfig, 'fonts' | 'root'>, configFile: VFile): void {
  for (const role of ['body', 'headings', 'mono'] as const) {
    const name = config.fonts[role]
    if (name === undefined || findFamily(name, config.root)) continue
    const pkg = fontPackage(name)
    report(
      configFile,
      'config-invalid',
      `No font family “${name}” is installed (looked for ${pkg} with a 400.css, from the book's folder up and in Quire's own packages): install it in the book's folder with \`npm i ${pkg}\`, or name another @fontsource family. Until then ${role === 'mono' ? MONO_FONT.family : TEXT_FONT.family} stands in`,
      configPoint(configFile, ['fonts', role]),
    )
  }
}

/** The CSS font stack of a family: itself, then the faces that draw what it lacks (Literata, Korean). */
export function fontStack(font: FontFamily): string {
  return [...new Set([font.family, TEXT_FONT.family, KOREAN_FONT.family])].map((family) => `'${family}'`).join(', ')
}

/** Every family a book's print may use, each once: its own, then the fallbacks. */
export function printFamilies(fonts: BookFonts): FontFamily[] {
  return [...new Set([fonts.body, fonts.headings, TEXT_FONT, KOREAN_FONT, fonts.mono])]
}
