/** pdf-lib's objects read as plain values: what the dictionary reader and the content scan both need. */
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib'
import type { Box } from './read-pdf.ts'

export const nameOf = (value: PDFObject | undefined) => (value instanceof PDFName ? value.decodeText() : undefined)
export const numberOf = (value: PDFObject | undefined) => (value instanceof PDFNumber ? value.asNumber() : undefined)
/** To a thousandth: what the facts report, free of floating-point noise. */
export const round = (value: number) => Math.round(value * 1000) / 1000

export function boxOf(value: PDFObject | undefined): Box | undefined {
  if (!(value instanceof PDFArray) || value.size() !== 4) return undefined
  const [x1, y1, x2, y2] = value.asArray().map((item) => numberOf(item) ?? 0) as Box
  return [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)]
}

/** A stream's decoded text (XMP is UTF-8), or undefined when it is not a stream pdf-lib can decode. */
export function streamText(value: PDFObject | undefined): string | undefined {
  const bytes = streamBytes(value)
  return bytes && new TextDecoder().decode(bytes)
}

export function streamBytes(value: PDFObject | undefined): Uint8Array | undefined {
  if (!(value instanceof PDFRawStream)) return undefined
  try {
    return decodePDFRawStream(value).decode()
  } catch {
    return undefined // A filter pdf-lib does not decode (none that content or XMP use in practice).
  }
}

/** The entries of one kind of resource (`/Font`, `/XObject` …), looked up. */
export function entriesOf(context: PDFContext, resources: PDFDict | undefined, kind: string): [string, PDFObject | undefined][] {
  const dict = resources?.lookup(PDFName.of(kind))
  if (!(dict instanceof PDFDict)) return []
  return dict.entries().map(([key, value]) => [key.decodeText(), context.lookup(value)])
}

/** Whether a colour space is RGB: DeviceRGB, CalRGB, ICCBased with 3 components, or Indexed over one of them. A name may be one of the scope's /ColorSpace resources. */
export function isRgb(context: PDFContext, value: PDFObject | undefined, spaces?: PDFDict, depth = 0): boolean {
  const space = context.lookup(value)
  if (depth > 4 || space === undefined) return false
  if (space instanceof PDFName) {
    const name = space.decodeText()
    if (name === 'DeviceRGB' || name === 'RGB') return true
    return spaces?.get(space) !== undefined && isRgb(context, spaces.get(space), undefined, depth + 1)
  }
  if (!(space instanceof PDFArray)) return false
  const family = nameOf(space.lookup(0))
  if (family === 'CalRGB') return true
  if (family === 'Indexed' || family === 'I') return isRgb(context, space.get(1), spaces, depth + 1)
  if (family !== 'ICCBased') return false
  const profile = space.lookup(1)
  if (!(profile instanceof PDFStream)) return false
  const components = numberOf(profile.dict.lookup(PDFName.of('N')))
  return components === undefined ? isRgb(context, profile.dict.get(PDFName.of('Alternate')), undefined, depth + 1) : components === 3
}
