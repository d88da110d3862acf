/**
 * The image formats every edition can carry, told from a file's first bytes
 * rather than its name: EPUB 3 reading systems must show JPEG, PNG, GIF and
 * SVG, and nothing else without a fallback (WebP only since EPUB 3.3, which
 * epubcheck 4 and older readers reject).
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { inspectSvg } from './svg.ts'

export type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/svg+xml'

/** The media type of image bytes, or undefined for a format Quire does not pack. */
export function sniffImage(head: Uint8Array): ImageMediaType | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif'
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 512)).replace(/^\uFEFF/, '')
  // An XML prolog, comments or a doctype may come before the root element.
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>\s*)*<svg[\s>]/i.test(text)) return 'image/svg+xml'
  return undefined
}

/** Sniff the file at `file` (its first 512 bytes). */
export function sniffImageFile(file: string): ImageMediaType | undefined {
  const head = new Uint8Array(512)
  const fd = openSync(file, 'r')
  try {
    const read = readSync(fd, head, 0, head.length, 0)
    return sniffImage(head.subarray(0, read))
  } finally {
    closeSync(fd)
  }
}

/** The usual file extension of a media type. */
export const extensionOf: Record<ImageMediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
}

/**
 * What makes an SVG file unsafe or unreadable (a script, an event handler,
 * a DOCTYPE or entity, a reference outside the file …), each construct with
 * its line, or undefined when it has none. See `inspectSvg`.
 */
export function svgProblem(text: string): string | undefined {
  const { problems } = inspectSvg(text)
  return problems.length ? problems.map((problem) => `${problem.what}${problem.line === undefined ? '' : ` (line ${problem.line})`}`).join('; ') : undefined
}
