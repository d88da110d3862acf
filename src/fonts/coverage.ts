/**
 * Which characters the shipped faces can draw, read from their cmaps.
 * Anything outside is reported by `check` (rule `glyph-missing`) and shown
 * in the PDF as an empty box, never handed to a system font.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { cmapCodePoints, readFontTables } from './woff2.ts'
import { fontFilesDir, KOREAN_FONT, MONO_FONT, TEXT_FONT, type FontFamily } from './bundle.ts'

const loaded = new Map<FontFamily, Set<number>>()

/** The code points a family's regular face maps to glyphs. */
export function familyCoverage(font: FontFamily): Set<number> {
  let points = loaded.get(font)
  if (!points) {
    points = new Set()
    const dir = fontFilesDir(font)
    // Files in the book: the regular one; a package: the regular face's subsets.
    const regular = font.files?.find(({ face }) => face === '400')?.file
    const names = regular ? [regular] : readdirSync(dir).filter((file) => font.coverage.test(file)).sort()
    for (const name of names) {
      const cmap = readFontTables(readFileSync(path.join(dir, name)), ['cmap']).get('cmap')
      if (cmap) for (const point of cmapCodePoints(cmap)) points.add(point)
    }
    loaded.set(font, points)
  }
  return points
}

/** Characters that need no glyph: controls, format characters (soft hyphen, joiners, variation selectors), line and paragraph separators. */
const invisible = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\uFE00-\uFE0F]$/u

/** The faces a text is set in, as far as coverage goes: the body's and code's (book.yaml's `fonts:`). */
export interface TextFaces {
  body: FontFamily
  mono: FontFamily
}

const DEFAULT_FACES: TextFaces = { body: TEXT_FONT, mono: MONO_FONT }

/** The fallback chain: the body face, Literata, then Korean; code is tried in the monospace face first (as the print styles stack them). */
function chainFor(code: boolean, faces: TextFaces): FontFamily[] {
  return [...new Set([...(code ? [faces.mono] : []), faces.body, TEXT_FONT, KOREAN_FONT])]
}

/** Whether some face in the chain draws the character. */
export function isDrawable(char: string, code = false, faces: TextFaces = DEFAULT_FACES): boolean {
  if (invisible.test(char)) return true
  const point = char.codePointAt(0)!
  // Later families are read only when an earlier one lacks the character.
  return chainFor(code, faces).some((font) => familyCoverage(font).has(point))
}

/** A run of characters no shipped face draws, by UTF-16 index into the text. */
export interface MissingRun {
  start: number
  end: number
  text: string
}

/** The runs of `text` that no face of the book can draw. */
export function missingRuns(text: string, code = false, faces: TextFaces = DEFAULT_FACES): MissingRun[] {
  const runs: MissingRun[] = []
  let index = 0
  for (const char of text) {
    // ASCII is always covered: skip the lookup for the common case.
    if (char.charCodeAt(0) >= 0x80 && !isDrawable(char, code, faces)) {
      const last = runs.at(-1)
      if (last && last.end === index) {
        last.end += char.length
        last.text += char
      } else runs.push({ start: index, end: index + char.length, text: char })
    }
    index += char.length
  }
  return runs
}

/** The text without the characters no shipped face draws (for running heads, which cannot hold a box). */
export function drawableText(text: string, faces: TextFaces = DEFAULT_FACES): string {
  let out = text
  for (const run of missingRuns(text, false, faces).reverse()) out = out.slice(0, run.start) + out.slice(run.end)
  return out.replace(/\s{2,}/g, ' ').trim()
}
