/**
 * The faces a book is set in: book.yaml's `fonts: {body, headings, mono}`,
 * each the name of an `@fontsource` family ("Source Serif 4") installed in
 * the book's `node_modules` (or a folder above it) or Quire's, or font files
 * inside the book (`fonts/face.woff2`, or `{regular, italic, bold,
 * bold-italic}`). A name that finds no package is reported at its key with
 * the command that installs it, a file outside the book or not a font at
 * its own; until then the default face stands in.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { VFile } from 'vfile'
import { report } from '../diagnostics/rules.ts'
import { configPoint } from '../config/load.ts'
import type { FontSetting, ResolvedConfig } from '../config/schema.ts'
import { isInside } from '../manuscript/inside.ts'
import { fontSignature } from './woff2.ts'
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

/** The family a setting names, looked up from the manuscript folder `root`; undefined when it cannot be used (`fontProblems` says why). */
export function findFamily(setting: FontSetting, root: string): FontFamily | undefined {
  const key = `${JSON.stringify(setting)}\0${root}`
  if (!found.has(key)) found.set(key, isPackageName(setting) ? packageFamily(setting, root) : fontProblems(setting, root).length === 0 ? fileFamily(setting, root) : undefined)
  return found.get(key)
}

function isPackageName(setting: FontSetting): setting is string {
  return typeof setting === 'string' && !/\.(woff2|ttf|otf)$/i.test(setting.trim())
}

function packageFamily(name: string, root: string): FontFamily | undefined {
  const pkg = fontPackage(name)
  const own = shipped.get(pkg)
  if (own) return own
  try {
    const dir = path.dirname(createRequire(path.join(root, 'package.json')).resolve(`${pkg}/package.json`))
    const faces = FACES.filter((face) => existsSync(path.join(dir, `${face}.css`)))
    const declared = /font-family:\s*'([^']+)'/.exec(faces.length > 0 ? readFileSync(path.join(dir, `${faces[0]}.css`), 'utf8') : '')?.[1]
    const licence = String((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { license?: unknown }).license ?? 'licence not stated')
    const slug = pkg.slice('@fontsource/'.length).replace(/[^a-z0-9-]/g, '')
    if (!faces.includes('400') || !declared) return undefined
    return { family: declared, package: pkg, from: root, licence, faces, coverage: new RegExp(`^${slug}-.*-400-normal\\.woff2$`) }
  } catch {
    return undefined
  }
}

/** A setting's files by face (`400`, `400-italic` …), as written. */
function filesOf(setting: FontSetting): { face: string; key: string; file: string }[] {
  if (typeof setting === 'string') return [{ face: '400', key: '', file: setting.trim() }]
  const styles: [string, string, string | undefined][] = [['400', 'regular', setting.regular], ['400-italic', 'italic', setting.italic], ['700', 'bold', setting.bold], ['700-italic', 'bold-italic', setting.boldItalic]]
  return styles.flatMap(([face, key, file]) => (file === undefined ? [] : [{ face, key, file }]))
}

function fileFamily(setting: FontSetting, root: string): FontFamily {
  const files = filesOf(setting).map(({ face, file }) => ({ face, file: path.relative(root, path.resolve(root, file)).split(path.sep).join('/') }))
  // `MySerif-Regular.woff2` → "MySerif".
  const family = (typeof setting === 'object' ? setting.family : undefined) ?? path.basename(files[0]!.file).replace(/\.[^.]+$/, '').replace(/[-_ ](regular|roman|book|normal)$/i, '')
  return { family, package: files[0]!.file, from: root, licence: 'font files in the book: the author’s to license', faces: files.map(({ face }) => face), coverage: /$^/, files }
}

/**
 * What keeps a setting's font files from use, each with the key it is
 * written under (`''` for the setting itself): a file outside the book
 * (through a symlink too), missing, or not a WOFF2, TrueType or OpenType
 * font. A package name has none here (`checkFonts` looks it up).
 */
export function fontProblems(setting: FontSetting, root: string): { key: string; problem: string }[] {
  if (isPackageName(setting)) return []
  const problems: { key: string; problem: string }[] = []
  for (const { key, file } of filesOf(setting)) {
    const absolute = path.resolve(root, file)
    let real: string | undefined
    try {
      real = realpathSync(absolute)
    } catch {
      real = undefined
    }
    if (!isInside(root, absolute) || (real !== undefined && !isInside(realpathSync(root), real))) problems.push({ key, problem: `\`${file}\` is outside the manuscript folder: Quire reads nothing outside the book. Copy the font into it (fonts/ for instance)` })
    else if (real === undefined) problems.push({ key, problem: `No font file \`${file}\` in the manuscript folder: fix the path (it is relative to the folder holding book.yaml)` })
    else if (!fontSignature(readFileSync(real).subarray(0, 4))) problems.push({ key, problem: `\`${file}\` is not a WOFF2, TrueType or OpenType font` })
  }
  return problems
}

/** The book's families: each named one found, else Quire's default (body Literata, headings the body's, code Noto Sans Mono). */
export function bookFonts(config: Pick<ResolvedConfig, 'fonts' | 'root'>): BookFonts {
  const named = (setting: FontSetting | undefined) => (setting === undefined ? undefined : findFamily(setting, config.root))
  const body = named(config.fonts.body) ?? TEXT_FONT
  return { body, headings: named(config.fonts.headings) ?? body, mono: named(config.fonts.mono) ?? MONO_FONT }
}

/** Report each `fonts:` setting that finds no family, at its key: a package with the command that installs it, font files with what is wrong with them. */
export function checkFonts(config: Pick<ResolvedConfig, 'fonts' | 'root'>, configFile: VFile): void {
  for (const role of ['body', 'headings', 'mono'] as const) {
    const setting = config.fonts[role]
    if (setting === undefined) continue
    const standIn = role === 'mono' ? MONO_FONT.family : TEXT_FONT.family
    for (const { key, problem } of fontProblems(setting, config.root)) {
      report(configFile, 'config-invalid', `${problem}. Until then ${standIn} stands in`, configPoint(configFile, ['fonts', role, ...(key ? [key] : [])]))
    }
    if (!isPackageName(setting) || findFamily(setting, config.root)) continue
    const pkg = fontPackage(setting)
    report(
      configFile,
      'config-invalid',
      `No font family “${setting}” is installed (looked for ${pkg} with a 400.css, from the book's folder up and in Quire's own packages): install it in the book's folder with \`npm i ${pkg}\`, or name another @fontsource family. Until then ${standIn} stands in`,
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
