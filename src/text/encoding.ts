/**
 * Read the manuscript's text files (chapters, book.yaml, bibliographies) as
 * text, whatever their byte order mark says: UTF-8, or UTF-16 in either byte
 * order. A file that is neither (UTF-32, or bytes that are not valid UTF-8)
 * is refused with the line and column of the first byte that is wrong, so
 * the author can find it.
 */
import { isUtf8 } from 'node:buffer'
import type { Point } from 'unist'

/** How a text file was stored: `check --fix` writes it back the same way. */
export interface TextEncoding {
  name: 'utf-8' | 'utf-16le' | 'utf-16be'
  /** Whether the file starts with a byte order mark. */
  bom: boolean
}

declare module 'vfile' {
  interface DataMap {
    /** How the file's bytes were stored, when that was not plain UTF-8 without a byte order mark. */
    encoding: TextEncoding
  }
}

export type DecodedText =
  | { ok: true; text: string; encoding: TextEncoding }
  | { ok: false; reason: string; point: Point }

const SAVE_AS = 'save the file as UTF-8 (in most editors: Save As, Encoding: UTF-8)'

/** Decode a text file's bytes by its byte order mark (UTF-8 without one); an undecodable file gives the reason and the place. */
export function decodeText(bytes: Uint8Array): DecodedText {
  const [a, b, c, d] = bytes
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    return { ok: false, reason: `The file is UTF-32, which Quire does not read: ${SAVE_AS}`, point: { line: 1, column: 1 } }
  }
  if (a === 0xff && b === 0xfe) return decodeUtf16(bytes, 'utf-16le')
  if (a === 0xfe && b === 0xff) return decodeUtf16(bytes, 'utf-16be')
  const bom = a === 0xef && b === 0xbb && c === 0xbf
  const body = bom ? bytes.subarray(3) : bytes
  const bad = firstInvalidUtf8(body)
  if (bad >= 0) {
    const before = Buffer.from(body.buffer, body.byteOffset, bad).toString('utf8')
    const hex = body[bad]!.toString(16).toUpperCase().padStart(2, '0')
    return { ok: false, reason: `Invalid UTF-8: byte 0x${hex} is not part of a UTF-8 character (the file was probably saved as Latin-1 or Windows-1252): ${SAVE_AS}`, point: pointAfter(before) }
  }
  return { ok: true, text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), encoding: { name: 'utf-8', bom } }
}

/** The bytes of `text` stored as `encoding` says (the inverse of `decodeText`). */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding.name === 'utf-8') return Buffer.from((encoding.bom ? '\uFEFF' : '') + text, 'utf8')
  const le = Buffer.from((encoding.bom ? '\uFEFF' : '') + text, 'utf16le')
  return encoding.name === 'utf-16le' ? le : le.swap16()
}

function decodeUtf16(bytes: Uint8Array, name: 'utf-16le' | 'utf-16be'): DecodedText {
  const body = Buffer.from(bytes.subarray(2))
  const odd = body.byteLength % 2 === 1
  const even = odd ? body.subarray(0, body.byteLength - 1) : body
  const units = name === 'utf-16le' ? Buffer.from(even) : Buffer.from(even).swap16()
  const text = units.toString('utf16le')
  // An unpaired surrogate is not a character: the file is damaged.
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text)
  if (lone) return { ok: false, reason: `Invalid ${name.toUpperCase()}: an unpaired surrogate (the file is damaged): ${SAVE_AS}`, point: pointAfter(text.slice(0, lone.index)) }
  if (odd) return { ok: false, reason: `Invalid ${name.toUpperCase()}: the file ends in the middle of a character (it is cut short): ${SAVE_AS}`, point: pointAfter(text) }
  return { ok: true, text, encoding: { name, bom: true } }
}

/** The offset of the first byte of `bytes` that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index]!
    if (byte < 0x80) {
      index++
      continue
    }
    let length: number
    let min: number
    let max = 0xbf
    if (byte >= 0xc2 && byte <= 0xdf) length = 2
    else if (byte >= 0xe0 && byte <= 0xef) length = 3
    else if (byte >= 0xf0 && byte <= 0xf4) length = 4
    else return index
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    min = byte === 0xe0 ? 0xa0 : byte === 0xf0 ? 0x90 : 0x80
    if (byte === 0xed) max = 0x9f
    if (byte === 0xf4) max = 0x8f
    for (let next = 1; next < length; next++) {
      const continuation = bytes[index + next]
      if (continuation === undefined || continuation < (next === 1 ? min : 0x80) || continuation > (next === 1 ? max : 0xbf)) return index
    }
    index += length
  }
  return -1
}

/** The point just after `text` (1-based line and column, columns in UTF-16 units as vfile counts them). */
export function pointAfter(text: string): Point {
  const lines = text.split(/\r\n|\r|\n/)
  return { line: lines.length, column: lines.at(-1)!.length + 1 }
}

