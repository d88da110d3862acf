/**
 * Colour operators and inline images, read from the content streams
 * themselves: pdfjs turns gray and CMYK into RGB before its operator list
 * could tell them apart. The content is tokenised just enough for that.
 */
import { PDFDict, PDFName, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib'
import type { Scope } from './content-scopes.ts'
import { isRgb, numberOf, streamBytes } from './pdf-objects.ts'

/** Each byte's class, looked up per byte (a long book's content runs to megabytes): 1 whitespace, 2 delimiter, 0 regular. */
const CLASS = new Uint8Array(256)
for (const code of [0, 9, 10, 12, 13, 32]) CLASS[code] = 1
for (const char of '()<>[]{}/%') CLASS[char.charCodeAt(0)] = 2
const isWhite = (code: number | undefined) => code !== undefined && CLASS[code] === 1
const isRegular = (code: number | undefined) => code !== undefined && CLASS[code] === 0
// Not a spread into fromCharCode: a name of a few hundred thousand bytes would overflow the stack.
const latin1 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')

/** The scope's content, its streams joined (a token may not straddle two, but an operator's operands may). */
function contentOf(scope: Scope): Uint8Array {
  const parts = scope.contents.map((stream) => streamBytes(stream) ?? new Uint8Array())
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length + 1, 0))
  let at = 0
  for (const part of parts) joined.set(part, at), (joined[at + part.length] = 10), (at += part.length + 1)
  return joined
}

/** RGB set by operators in the scope's content, and RGB inline images (which are no resource). */
export function scanContent(context: PDFContext, scope: Scope): { rgbColor: boolean; rgbImages: number } {
  const bytes = contentOf(scope)
  const dictOf = (kind: string) => {
    const dict = scope.resources?.lookup(PDFName.of(kind))
    return dict instanceof PDFDict ? dict : undefined
  }
  const spaces = dictOf('ColorSpace')
  const named = (kind: string, name: string) => context.lookup(dictOf(kind)?.get(PDFName.of(name)))
  const shadingRgb = (shading: PDFObject | undefined) => {
    const dict = shading instanceof PDFStream ? shading.dict : shading
    return dict instanceof PDFDict && isRgb(context, dict.get(PDFName.of('ColorSpace')), spaces)
  }
  let rgbColor = false
  let rgbImages = 0
  let names: string[] = []
  let inline = false
  let at = 0
  while (at < bytes.length) {
    const code = bytes[at]!
    if (isWhite(code)) at++
    else if (code === 0x25) while (at < bytes.length && bytes[at] !== 10 && bytes[at] !== 13) at++ // % comment
    else if (code === 0x28) at = skipString(bytes, at)
    else if (code === 0x3c && bytes[at + 1] !== 0x3c) at = Math.max(bytes.indexOf(0x3e, at), at) + 1 // <hex>
    else if (code === 0x2f) {
      const start = ++at
      while (isRegular(bytes[at])) at++
      names.push(latin1(bytes, start, at))
    } else if (!isRegular(code)) at += code === 0x3c || code === 0x3e ? 2 : 1 // << >> [ ] { }
    else {
      const start = at
      while (isRegular(bytes[at])) at++
      if ((code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e) continue // a number
      if (at - start > 3) continue // No operator read here is longer, and the names before one stay its operands.
      const operator = latin1(bytes, start, at)
      const last = names.at(-1)
      if (operator === 'rg' || operator === 'RG') rgbColor = true
      else if ((operator === 'cs' || operator === 'CS') && last !== undefined) rgbColor ||= isRgb(context, PDFName.of(last), spaces)
      else if (operator === 'sh' && last !== undefined) rgbColor ||= shadingRgb(named('Shading', last))
      else if ((operator === 'scn' || operator === 'SCN') && last !== undefined) {
        const pattern = named('Pattern', last)
        const dict = pattern instanceof PDFStream ? pattern.dict : pattern
        if (dict instanceof PDFDict && numberOf(dict.lookup(PDFName.of('PatternType'))) === 2) rgbColor ||= shadingRgb(dict.lookup(PDFName.of('Shading')))
      } else if (operator === 'BI') inline = true
      else if (operator === 'ID' && inline) {
        // The image dictionary's names, in order: `/CS /RGB`, or `/CS [/I /RGB …]`.
        const key = names.findIndex((name) => name === 'CS' || name === 'ColorSpace')
        const value = key < 0 ? undefined : names[key + 1] === 'I' || names[key + 1] === 'Indexed' ? names[key + 2] : names[key + 1]
        if (value !== undefined && isRgb(context, PDFName.of(value), spaces)) rgbImages++
        at = skipInlineData(bytes, at + 1)
        inline = false
      }
      if (!inline || operator === 'BI') names = []
    }
  }
  return { rgbColor, rgbImages }
}

/** Past a literal string `( … )`, with its nested parentheses and escapes. */
function skipString(bytes: Uint8Array, start: number): number {
  let depth = 0
  for (let at = start; at < bytes.length; at++) {
    const code = bytes[at]
    if (code === 0x5c) at++
    else if (code === 0x28) depth++
    else if (code === 0x29 && --depth === 0) return at + 1
  }
  return bytes.length
}

/** Past an inline image's binary data: to the `EI` that stands alone between whitespace. */
function skipInlineData(bytes: Uint8Array, start: number): number {
  for (let at = start; at < bytes.length - 1; at++) {
    if (bytes[at] === 0x45 && bytes[at + 1] === 0x49 && isWhite(bytes[at - 1]) && (at + 2 >= bytes.length || isWhite(bytes[at + 2]))) return at + 2
  }
  return bytes.length
}
