/**
 * Just enough of WOFF2 to ask a font what it holds: the table directory,
 * the Brotli stream, and the cmap (which characters have glyphs) and the
 * GSUB feature list (small caps or not). Chromium happily reports a
 * fallback font as covering text it then draws blank, so Quire reads the
 * shipped fonts itself.
 */
import { brotliDecompressSync } from 'node:zlib'

/** WOFF2's known-tag table (spec §5.1), in index order. */
const KNOWN_TAGS = 'cmap head hhea hmtx maxp name OS/2 post cvt fpgm glyf loca prep CFF VORG EBDT EBLC gasp hdmx kern LTSH PCLT VDMX vhea vmtx BASE GDEF GPOS GSUB EBSC JSTF MATH CBDT CBLC COLR CPAL SVG sbix acnt avar bdat bloc bsln cvar fdsc feat fmtx fvar gvar hsty just lcar mort morx opbd prop trak Zapf Silf Glat Gloc Feat Sill'.split(' ')

/** The tables of a WOFF2, TrueType or OpenType file, by tag (a WOFF2's untransformed ones). */
export function readFontTables(bytes: Uint8Array, wanted: string[]): Map<string, Buffer> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (data.toString('latin1', 0, 4) === 'wOF2') return readWoff2Tables(bytes, wanted)
  if (fontSignature(data) !== 'sfnt') throw new Error('not a WOFF2, TrueType or OpenType file')
  const tables = new Map<string, Buffer>()
  const count = data.readUInt16BE(4)
  for (let index = 0; index < count; index++) {
    const entry = 12 + index * 16
    const tag = data.toString('latin1', entry, entry + 4).trimEnd()
    const offset = data.readUInt32BE(entry + 8)
    const length = data.readUInt32BE(entry + 12)
    if (wanted.includes(tag) && offset + length <= data.length) tables.set(tag, data.subarray(offset, offset + length))
  }
  return tables
}

/** What a font file's first bytes say it is: WOFF2, an SFNT (TrueType or OpenType), or neither. */
export function fontSignature(bytes: Uint8Array): 'woff2' | 'sfnt' | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(4, bytes.byteLength)).toString('latin1')
  if (head === 'wOF2') return 'woff2'
  if (head === '\x00\x01\x00\x00' || head === 'OTTO' || head === 'true') return 'sfnt'
  return undefined
}

/** The untransformed tables of a WOFF2 file, by tag. */
export function readWoff2Tables(bytes: Uint8Array, wanted: string[]): Map<string, Buffer> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (data.toString('latin1', 0, 4) !== 'wOF2') throw new Error('not a WOFF2 file')
  const numTables = data.readUInt16BE(12)
  const compressedSize = data.readUInt32BE(20)
  let at = 48
  const readBase128 = () => {
    let value = 0
    for (let i = 0; i < 5; i++) {
      const byte = data[at++]!
      value = value * 128 + (byte & 0x7f)
      if ((byte & 0x80) === 0) return value
    }
    throw new Error('bad UIntBase128 in WOFF2 directory')
  }
  const tables: { tag: string; length: number }[] = []
  for (let i = 0; i < numTables; i++) {
    const flags = data[at++]!
    let tag = KNOWN_TAGS[flags & 0x3f]
    if ((flags & 0x3f) === 63) {
      tag = data.toString('latin1', at, at + 4).trimEnd()
      at += 4
    }
    const version = flags >> 6
    const origLength = readBase128()
    const transformed = tag === 'glyf' || tag === 'loca' ? version === 0 : version !== 0
    const length = transformed ? readBase128() : origLength
    tables.push({ tag: tag ?? '', length })
  }
  const stream = brotliDecompressSync(data.subarray(at, at + compressedSize))
  const found = new Map<string, Buffer>()
  let offset = 0
  for (const { tag, length } of tables) {
    if (wanted.includes(tag)) found.set(tag, stream.subarray(offset, offset + length))
    offset += length
  }
  return found
}

/** The code points a font's cmap maps to a glyph (formats 4 and 12, the Unicode subtables). */
export function cmapCodePoints(cmap: Buffer): Set<number> {
  const points = new Set<number>()
  const count = cmap.readUInt16BE(2)
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8)
    const encoding = cmap.readUInt16BE(6 + i * 8)
    if (!(platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10)))) continue
    const table = cmap.subarray(cmap.readUInt32BE(8 + i * 8))
    const format = table.readUInt16BE(0)
    if (format === 4) readFormat4(table, points)
    else if (format === 12) readFormat12(table, points)
  }
  return points
}

function readFormat4(table: Buffer, points: Set<number>): void {
  const segments = table.readUInt16BE(6) / 2
  const ends = 14
  const starts = ends + segments * 2 + 2
  const deltas = starts + segments * 2
  const rangeOffsets = deltas + segments * 2
  for (let s = 0; s < segments; s++) {
    const end = table.readUInt16BE(ends + s * 2)
    const start = table.readUInt16BE(starts + s * 2)
    const delta = table.readInt16BE(deltas + s * 2)
    const rangeOffset = table.readUInt16BE(rangeOffsets + s * 2)
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number
      if (rangeOffset === 0) glyph = (code + delta) & 0xffff
      else {
        const at = rangeOffsets + s * 2 + rangeOffset + (code - start) * 2
        glyph = table.readUInt16BE(at)
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff
      }
      if (glyph !== 0) points.add(code)
    }
  }
}

function readFormat12(table: Buffer, points: Set<number>): void {
  const groups = table.readUInt32BE(12)
  for (let g = 0; g < groups; g++) {
    const start = table.readUInt32BE(16 + g * 12)
    const end = table.readUInt32BE(20 + g * 12)
    const glyph = table.readUInt32BE(24 + g * 12)
    for (let code = start; code <= end; code++) if (glyph + (code - start) !== 0) points.add(code)
  }
}

/** The OpenType feature tags a GSUB table offers (`smcp`, `c2sc`, `onum` …). */
export function gsubFeatures(gsub: Buffer): Set<string> {
  const list = gsub.subarray(gsub.readUInt16BE(6))
  const count = list.readUInt16BE(0)
  const tags = new Set<string>()
  for (let i = 0; i < count; i++) tags.add(list.toString('latin1', 2 + i * 6, 6 + i * 6))
  return tags
}
