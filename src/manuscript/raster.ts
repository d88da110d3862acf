/**
 * A JPEG, PNG or GIF file that a reader cannot decode shows as a broken
 * image (and epubcheck calls the EPUB corrupt). Each raster image is read
 * through: its header and dimensions (image-size), then its structure
 * (PNG chunks and their checksums, JPEG markers up to the end of image,
 * GIF blocks up to the trailer) and, for PNG, its pixel data inflated and
 * counted against what the header promises.
 */
import { createInflate } from 'node:zlib'
import { imageSize } from 'image-size'
import type { ImageMediaType } from './media-types.ts'

export type RasterMediaType = Exclude<ImageMediaType, 'image/svg+xml'>

/** Larger than this, an image is more than any reading system decodes (and than inflating it is worth). */
export const MAX_PIXELS = 100_000_000

/**
 * What is wrong with the structure of a raster image, in a few words, or
 * undefined when its header, dimensions and structure hold together. Reads
 * only `bytes`; quick enough to run on every copy.
 */
export function rasterStructureProblem(bytes: Uint8Array, mediaType: RasterMediaType): string | undefined {
  let size: { width?: number; height?: number; type?: string }
  try {
    size = imageSize(bytes)
  } catch (error) {
    return `its header does not read (${(error as Error).message})`
  }
  const { width = 0, height = 0 } = size
  if (width < 1 || height < 1) return `its header gives no size (${width} × ${height} pixels)`
  if (width * height > MAX_PIXELS) return `it is ${width} × ${height} pixels, more than the ${MAX_PIXELS / 1_000_000} megapixels a reading system can be expected to decode`
  if (mediaType === 'image/png') return pngChunks(bytes).problem
  if (mediaType === 'image/jpeg') return jpegProblem(bytes)
  return gifProblem(bytes)
}

/** The structure problem, or for a PNG one whose pixel data does not inflate to what its header says. */
export async function rasterProblem(bytes: Uint8Array, mediaType: RasterMediaType): Promise<string | undefined> {
  const problem = rasterStructureProblem(bytes, mediaType)
  if (problem || mediaType !== 'image/png') return problem
  const { header, data } = pngChunks(bytes)
  const expected = pngDataLength(header!)
  let inflated: number
  try {
    inflated = await inflatedLength(data, expected)
  } catch (error) {
    return `its pixel data does not decompress (${(error as Error).message})`
  }
  return inflated === expected ? undefined : `its pixel data holds ${inflated > expected ? 'more than ' : ''}${inflated} bytes where ${header!.width} × ${header!.height} pixels take ${expected}`
}

interface PngHeader {
  width: number
  height: number
  bitDepth: number
  colorType: number
  interlaced: boolean
}

/** Walk a PNG's chunks: each whole, with a good CRC, IHDR first and IEND last. */
function pngChunks(bytes: Uint8Array): { problem?: string; header?: PngHeader; data: Uint8Array[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const data: Uint8Array[] = []
  let header: PngHeader | undefined
  let offset = 8
  for (;;) {
    if (offset + 8 > bytes.length) return { problem: `it is cut short after ${bytes.length} bytes, before its IEND chunk`, data }
    const length = view.getUint32(offset)
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8))
    if (!/^[A-Za-z]{4}$/.test(type)) return { problem: `byte ${offset} should start a chunk but does not`, data }
    if (offset + 12 + length > bytes.length) return { problem: `it is cut short: its ${type} chunk at byte ${offset} needs ${length} bytes and the file ends ${bytes.length - offset - 8} bytes into it`, data }
    const body = bytes.subarray(offset + 8, offset + 8 + length)
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) return { problem: `its ${type} chunk at byte ${offset} fails its checksum (CRC)`, data }
    if (!header) {
      if (type !== 'IHDR' || length !== 13) return { problem: 'it does not start with an IHDR chunk', data }
      const colorType = body[9]!
      const bitDepth = body[8]!
      const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }
      if (!depths[colorType]?.includes(bitDepth)) return { problem: `its header gives an impossible colour type ${colorType} with bit depth ${bitDepth}`, data }
      header = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12), bitDepth, colorType, interlaced: body[12] === 1 }
    } else if (type === 'IDAT') data.push(body)
    else if (type === 'IEND') return data.length > 0 ? { header, data } : { problem: 'it holds no pixel data (IDAT chunk)', data }
    offset += 12 + length
  }
}

/** Bytes of filtered scanlines a PNG's header promises (every Adam7 pass when interlaced). */
function pngDataLength({ width, height, bitDepth, colorType, interlaced }: PngHeader): number {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType as 0 | 2 | 3 | 4 | 6]
  const row = (pixels: number) => 1 + Math.ceil((pixels * channels * bitDepth) / 8)
  if (!interlaced) return height * row(width)
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const
  let total = 0
  for (const [x, y, dx, dy] of passes) {
    const columns = Math.ceil((width - x) / dx)
    const rows = Math.ceil((height - y) / dy)
    if (columns > 0 && rows > 0) total += rows * row(columns)
  }
  return total
}

/** How many bytes the zlib stream in `parts` inflates to, counting no further than just past `limit`. */
function inflatedLength(parts: Uint8Array[], limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflate()
    let total = 0
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length
      // More than promised: no need to inflate the rest of a possible bomb.
      if (total > limit) {
        inflate.destroy()
        resolve(total)
      }
    })
    inflate.on('end', () => resolve(total))
    inflate.on('error', reject)
    for (const part of parts) inflate.write(part)
    inflate.end()
  })
}

/** A JPEG's markers from SOI to EOI: a frame header with a size, a scan, and the end of image. */
function jpegProblem(bytes: Uint8Array): string | undefined {
  const length = bytes.length
  let offset = 2
  let frame = false
  for (;;) {
    if (offset + 1 >= length) return `it is cut short after ${length} bytes, before its end-of-image marker`
    if (bytes[offset] !== 0xff) return `byte ${offset} should start a marker but does not`
    const marker = bytes[offset + 1]!
    if (marker === 0xff) {
      offset += 1
      continue
    }
    if (marker === 0xd9) return frame ? undefined : 'it ends before any frame header'
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2
      continue
    }
    if (marker === 0xd8) return `it starts a second image at byte ${offset}`
    if (offset + 4 > length) return `it is cut short after ${length} bytes, inside a marker`
    const size = (bytes[offset + 2]! << 8) | bytes[offset + 3]!
    if (size < 2) return `its marker at byte ${offset} has an impossible length`
    if (offset + 2 + size > length) return `it is cut short after ${length} bytes, inside a marker segment`
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) frame = true
    offset += 2 + size
    if (marker !== 0xda) continue
    if (!frame) return 'its image data comes before its frame header'
    // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
    while (offset + 1 < length && !(bytes[offset] === 0xff && bytes[offset + 1] !== 0x00 && !(bytes[offset + 1]! >= 0xd0 && bytes[offset + 1]! <= 0xd7) && bytes[offset + 1] !== 0xff)) offset++
  }
}

/** A GIF's blocks from the screen descriptor to the trailer, with at least one image. */
function gifProblem(bytes: Uint8Array): string | undefined {
  const length = bytes.length
  const cut = `it is cut short after ${length} bytes, before its trailer`
  if (length < 13) return cut
  let offset = 13 + ((bytes[10]! & 0x80) !== 0 ? 3 * 2 ** ((bytes[10]! & 7) + 1) : 0)
  let images = 0
  const skipSubBlocks = (): boolean => {
    for (;;) {
      if (offset >= length) return false
      const size = bytes[offset]!
      offset += 1 + size
      if (size === 0) return true
    }
  }
  for (;;) {
    if (offset >= length) return cut
    const block = bytes[offset]
    if (block === 0x3b) return images > 0 ? undefined : 'it holds no image'
    if (block === 0x21) {
      offset += 2
      if (!skipSubBlocks()) return cut
    } else if (block === 0x2c) {
      if (offset + 10 > length) return cut
      const packed = bytes[offset + 9]!
      offset += 10 + ((packed & 0x80) !== 0 ? 3 * 2 ** ((packed & 7) + 1) : 0)
      // The LZW minimum code size, then the image data.
      offset += 1
      if (!skipSubBlocks()) return cut
      images++
    } else return `byte ${offset} should start a block but does not`
  }
}

let table: Uint32Array | undefined

/** CRC-32 as PNG computes it (zlib's crc32 is newer than Node 20.11). */
function crc32(bytes: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  let crc = 0xffffffff
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
