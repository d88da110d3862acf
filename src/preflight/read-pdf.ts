/**
 * The facts a print-on-demand preflight checks, read from a finished PDF.
 * Two readers, each for what it does well: pdfjs interprets the content
 * (where text, images and paths land, with every matrix and the fonts'
 * metrics applied: page-marks.ts); pdf-lib reads the dictionaries as
 * written (boxes, resources, fonts, output intents: pdf-dictionaries.ts).
 * Colour operators are read from the content streams themselves
 * (content-colour.ts): pdfjs turns gray and CMYK into RGB before its
 * operator list could tell them apart.
 */
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { operatorsOf, readMarks } from './page-marks.ts'
import { readBoxes, readInfo, readOutputIntents, readResources } from './pdf-dictionaries.ts'
import { streamText } from './pdf-objects.ts'
import { loadPdfjs } from './pdfjs-loader.ts'

/** A rectangle in PDF points, in the page's default user space: [left, bottom, right, top]. */
export type Box = [number, number, number, number]
export interface PageMark { kind: 'text' | 'image' | 'path'; box: Box; /** the text drawn, for text */ text?: string }
export interface PdfPageFacts {
  /** 1-based. */
  number: number
  mediaBox: Box
  trimBox?: Box
  bleedBox?: Box
  /**
   * What is drawn on the page's content (annotations' appearances are not):
   * text items, images and filled or stroked paths, clipped by the clip
   * paths in force (as bounding boxes) for images and paths. Marks with no
   * area after that, and whitespace-only text, are dropped: nothing shows.
   */
  marks: PageMark[]
  /** Annotations on the page (links, widgets, anything in /Annots). */
  annotations: number
  /**
   * What makes the page use transparency, one short phrase each, no
   * duplicates, from the resources of the page and of its form XObjects,
   * tiling patterns and Type 3 fonts ('a soft mask', 'opacity 0.5', 'blend
   * mode Multiply', 'an image with an alpha channel (SMask)'). A resource
   * listed counts even if no operator uses it; Chromium lists only used ones.
   */
  transparency: string[]
  /** The page has a /Group /S /Transparency: Chromium puts one on pages with nothing transparent, so it is not in `transparency`. */
  transparencyGroup: boolean
  /** Image XObjects (and inline images) whose colour space is RGB (DeviceRGB, CalRGB, ICCBased with N 3, Indexed over any of these), counted. */
  rgbImages: number
  /** An RGB colour is set for anything besides images: `rg`/`RG`, `cs`/`CS` selecting an RGB space, or an RGB shading (`sh`, or a shading pattern). */
  rgbColor: boolean
}
export interface PdfFontFacts {
  /** BaseFont without the subset prefix ("Literata-Regular"), and the full name as written. */
  name: string
  baseFont: string
  /** A font program is embedded: FontFile, FontFile2 or FontFile3 in its FontDescriptor (for Type0, the descendant's); Type3 fonts count as embedded. */
  embedded: boolean
  /** Subset: the BaseFont has a six-capital-letter prefix and '+'. */
  subset: boolean
  type: string
  /** Pages (1-based) whose resources (or their form XObjects') use it. */
  pages: number[]
}
export interface PdfFacts {
  pages: PdfPageFacts[]
  /** The catalog has /Outlines with at least one item. */
  outline: boolean
  fonts: PdfFontFacts[]
  /** The Info dictionary's string and name entries (Title, Producer, GTS_PDFXVersion, GTS_PDFXConformance, Trapped …), decoded. */
  info: Record<string, string>
  /** /OutputIntents of the catalog: subtype (/S without the slash), OutputConditionIdentifier, whether a DestOutputProfile stream is there and its /N. */
  outputIntents: { subtype: string; identifier?: string; profile: boolean; components?: number }[]
  /** The XMP metadata stream's text, if any. */
  xmp?: string
  /** The PDF header version, such as '1.3'. */
  version: string
}

/** Read a PDF's preflight facts. Pages are read one at a time, so a long book stays in bounded memory. */
export async function readPdf(bytes: Uint8Array): Promise<PdfFacts> {
  // At full speed: pdf-lib otherwise waits a timer tick after every hundred objects.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: Infinity })
  // pdfjs detaches the buffer it is given: it gets a copy. Nothing may be fetched, evaluated or drawn.
  const { getDocument, OPS, AnnotationMode } = await loadPdfjs()
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    verbosity: 0,
  })
  const operators = operatorsOf(OPS)
  const fonts = new Map<PDFDict, { facts: PdfFontFacts; pages: Set<number> }>()
  const pages: PdfPageFacts[] = []
  try {
    const pdf = await task.promise
    for (const [index, page] of doc.getPages().entries()) {
      const proxy = await pdf.getPage(index + 1)
      // Annotations' appearances are left out of the marks: they are counted apart.
      pages.push({ number: index + 1, ...readBoxes(page.node), marks: await readMarks(proxy, operators, AnnotationMode.DISABLE), ...readResources(doc.context, page.node, index + 1, fonts) })
      proxy.cleanup()
    }
  } finally {
    await task.destroy()
  }
  const catalog = doc.catalog
  const outlines = catalog.lookup(PDFName.of('Outlines'))
  const xmp = streamText(catalog.lookup(PDFName.of('Metadata')))
  return {
    pages,
    outline: outlines instanceof PDFDict && outlines.get(PDFName.of('First')) !== undefined,
    fonts: [...fonts.values()].map(({ facts, pages }) => ({ ...facts, pages: [...pages].sort((a, b) => a - b) })),
    info: readInfo(doc.context),
    outputIntents: readOutputIntents(doc.context, catalog.lookup(PDFName.of('OutputIntents'))),
    ...(xmp === undefined ? {} : { xmp }),
    version: /%PDF-(\d+\.\d+)/.exec(Buffer.from(bytes.subarray(0, 1024)).toString('latin1'))?.[1] ?? '',
  }
}
