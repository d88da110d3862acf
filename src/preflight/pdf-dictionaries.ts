/**
 * What the PDF's dictionaries say, read with pdf-lib as written: the page
 * boxes, Info, output intents, and each page's fonts, transparency, RGB
 * images and annotations from its resources.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFStream, PDFString, type PDFContext, type PDFObject, type PDFPageLeaf } from 'pdf-lib'
import { scanContent } from './content-colour.ts'
import { readScopes } from './content-scopes.ts'
import { boxOf, entriesOf, isRgb, nameOf, numberOf, round } from './pdf-objects.ts'
import type { PdfFacts, PdfFontFacts, PdfPageFacts } from './read-pdf.ts'

/** The boxes as the page says them: a missing TrimBox is missing, not the CropBox pdf-lib would default to. */
export function readBoxes(page: PDFPageLeaf): Pick<PdfPageFacts, 'mediaBox' | 'trimBox' | 'bleedBox'> {
  const trimBox = boxOf(page.TrimBox())
  const bleedBox = boxOf(page.BleedBox())
  return { mediaBox: boxOf(page.MediaBox()) ?? [0, 0, 0, 0], ...(trimBox && { trimBox }), ...(bleedBox && { bleedBox }) }
}

export function readInfo(context: PDFContext): Record<string, string> {
  const info: Record<string, string> = {}
  const dict = context.lookup(context.trailerInfo.Info)
  if (!(dict instanceof PDFDict)) return info
  for (const [key, value] of dict.entries()) {
    const resolved = context.lookup(value)
    if (resolved instanceof PDFString || resolved instanceof PDFHexString || resolved instanceof PDFName) info[key.decodeText()] = resolved.decodeText()
  }
  return info
}

export function readOutputIntents(context: PDFContext, value: PDFObject | undefined): PdfFacts['outputIntents'] {
  if (!(value instanceof PDFArray)) return []
  return value.asArray().flatMap((item) => {
    const intent = context.lookup(item)
    if (!(intent instanceof PDFDict)) return []
    const identifier = intent.lookup(PDFName.of('OutputConditionIdentifier'))
    const profile = intent.lookup(PDFName.of('DestOutputProfile'))
    const components = profile instanceof PDFStream ? numberOf(profile.dict.lookup(PDFName.of('N'))) : undefined
    return [{
      subtype: nameOf(intent.lookup(PDFName.of('S'))) ?? '',
      ...(identifier instanceof PDFString || identifier instanceof PDFHexString ? { identifier: identifier.decodeText() } : {}),
      profile: profile instanceof PDFStream,
      ...(components === undefined ? {} : { components }),
    }]
  })
}

/** Transparency, colour, fonts and annotations: what the page's dictionaries say. */
export function readResources(context: PDFContext, page: PDFPageLeaf, number: number, fonts: Map<PDFDict, { facts: PdfFontFacts; pages: Set<number> }>) {
  const transparency = new Set<string>()
  const rgbImages = new Set<PDFObject>()
  let inlineRgb = 0
  let rgbColor = false
  const read = new Set<PDFDict>()
  for (const scope of readScopes(context, page)) {
    const { resources } = scope
    const colour = scanContent(context, scope)
    rgbColor ||= colour.rgbColor
    inlineRgb += colour.rgbImages
    if (!resources || read.has(resources)) continue
    read.add(resources)
    for (const [, state] of entriesOf(context, resources, 'ExtGState')) {
      if (state instanceof PDFDict) for (const phrase of transparencyOfState(state)) transparency.add(phrase)
    }
    for (const [, image] of entriesOf(context, resources, 'XObject')) {
      if (!(image instanceof PDFStream) || nameOf(image.dict.lookup(PDFName.of('Subtype'))) !== 'Image') continue
      if (image.dict.lookup(PDFName.of('SMask')) instanceof PDFStream) transparency.add('an image with an alpha channel (SMask)')
      if ((numberOf(image.dict.lookup(PDFName.of('SMaskInData'))) ?? 0) > 0) transparency.add('an image with an alpha channel (SMaskInData)')
      if (isRgb(context, image.dict.get(PDFName.of('ColorSpace')))) rgbImages.add(image)
    }
    for (const [key, font] of entriesOf(context, resources, 'Font')) {
      if (!(font instanceof PDFDict)) continue
      const entry = fonts.get(font) ?? { facts: readFont(context, font, key), pages: new Set<number>() }
      entry.pages.add(number)
      fonts.set(font, entry)
    }
  }
  const group = page.lookup(PDFName.of('Group'))
  const annots = page.Annots()
  return {
    annotations: annots ? annots.size() : 0,
    transparency: [...transparency],
    transparencyGroup: group instanceof PDFDict && nameOf(group.lookup(PDFName.of('S'))) === 'Transparency',
    rgbImages: rgbImages.size + inlineRgb,
    rgbColor,
  }
}

function transparencyOfState(state: PDFDict): string[] {
  const phrases: string[] = []
  for (const key of ['CA', 'ca']) {
    const alpha = numberOf(state.lookup(PDFName.of(key)))
    if (alpha !== undefined && alpha < 1) phrases.push(`opacity ${round(alpha)}`)
  }
  const mask = state.lookup(PDFName.of('SMask'))
  if (mask !== undefined && nameOf(mask) !== 'None') phrases.push('a soft mask')
  const blend = state.lookup(PDFName.of('BM'))
  // An array lists modes by preference, for readers that know only some: the first is always a standard one.
  const mode = nameOf(blend instanceof PDFArray ? blend.lookup(0) : blend)
  if (mode !== undefined && mode !== 'Normal' && mode !== 'Compatible') phrases.push(`blend mode ${mode}`)
  return phrases
}

function readFont(context: PDFContext, font: PDFDict, key: string): PdfFontFacts {
  const type = nameOf(font.lookup(PDFName.of('Subtype'))) ?? ''
  // Type 3 fonts have no BaseFont; their /Name (PDF 1.0) or the resource key is all there is to call them.
  const baseFont = nameOf(font.lookup(PDFName.of('BaseFont'))) ?? nameOf(font.lookup(PDFName.of('Name'))) ?? key
  const descendants = font.lookup(PDFName.of('DescendantFonts'))
  const described = type === 'Type0' && descendants instanceof PDFArray ? context.lookup(descendants.get(0)) : font
  const descriptor = described instanceof PDFDict ? described.lookup(PDFName.of('FontDescriptor')) : undefined
  const embedded = type === 'Type3' || (descriptor instanceof PDFDict && ['FontFile', 'FontFile2', 'FontFile3'].some((file) => descriptor.get(PDFName.of(file)) !== undefined))
  const subset = /^[A-Z]{6}\+/.test(baseFont)
  return { name: subset ? baseFont.slice(7) : baseFont, baseFont, embedded, subset, type, pages: [] }
}
