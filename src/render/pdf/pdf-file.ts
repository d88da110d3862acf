/**
 * What Quire reads from and writes into the PDF Chromium prints: the page
 * each named destination lands on (to check the contents' page numbers),
 * and the document information (title, author, subject, fixed dates),
 * added as an incremental update so the printed bytes, tags and outline
 * are kept as they are. pdf-lib is imported here and in join.ts, which
 * joins the PDFs of print jobs.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib'
import { decodeUri } from '../../manuscript/uri.ts'
import type { ResolvedConfig } from '../../config/schema.ts'
import { QUIRE_VERSION } from '../../files/paths.ts'
import { authorNames, joinNames } from '../book-parts.ts'
import { editionDate } from '../edition-date.ts'

/** A PDF parsed, to read more than once (the destinations, then joining print jobs). */
export type ParsedPdf = PDFDocument

/** Parse a PDF as printed, changing nothing. */
export function parsePdf(bytes: Uint8Array): Promise<ParsedPdf> {
  // At full speed: pdf-lib otherwise waits a timer tick after every hundred objects (seconds on a long book).
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: Infinity })
}

/** The 1-based page of every named destination (Chromium makes one for each id a link points to). */
export async function readDestinations(pdf: Uint8Array | ParsedPdf): Promise<Map<string, number>> {
  const doc = pdf instanceof PDFDocument ? pdf : await parsePdf(pdf)
  const pageNumber = new Map(doc.getPages().map((page, index) => [page.ref.toString(), index + 1]))
  const found = new Map<string, number>()
  const add = (name: string, value: unknown) => {
    const target = doc.context.lookup(value as PDFRef)
    const array = target instanceof PDFDict ? doc.context.lookup(target.get(PDFName.of('D'))) : target
    if (!(array instanceof PDFArray)) return
    const page = pageNumber.get(array.get(0).toString())
    if (page !== undefined) found.set(name, page)
  }
  const dests = doc.catalog.lookup(PDFName.of('Dests'))
  // Chromium names a destination after the link's fragment as the URL spells it: percent-encoded.
  if (dests instanceof PDFDict) for (const [key, value] of dests.entries()) add(decodeUri(key.decodeText()), value)
  return found
}


/**
 * The page of the first link to each of `targets` (fragments), in page order.
 * A note call is found by its link, not by a destination of its own: its
 * raised figure's box starts above its line, and on a page's first line
 * Chromium puts its destination on the page before, and a sliver of its link
 * (under a point high) at the foot of that page. So a link counts on the
 * first page where it is at least half as tall as its tallest piece.
 */
export async function readFirstLinks(pdf: Uint8Array | ParsedPdf, targets: Set<string>): Promise<Map<string, number>> {
  const doc = pdf instanceof PDFDocument ? pdf : await parsePdf(pdf)
  const pieces = new Map<string, { page: number; height: number }[]>()
  for (const [index, page] of doc.getPages().entries()) {
    const annots = page.node.Annots()
    if (!annots) continue
    for (let at = 0; at < annots.size(); at++) {
      const annot = doc.context.lookup(annots.get(at))
      if (!(annot instanceof PDFDict)) continue
      const action = doc.context.lookup(annot.get(PDFName.of('A')))
      const dest = doc.context.lookup(annot.get(PDFName.of('Dest')) ?? (action instanceof PDFDict ? action.get(PDFName.of('D')) : undefined))
      // Chromium names the destination (`/Dest /ch-1-note-5`); a string is the older form.
      if (!(dest instanceof PDFName || dest instanceof PDFString || dest instanceof PDFHexString)) continue
      const name = decodeUri(dest.decodeText())
      if (!targets.has(name)) continue
      const rect = doc.context.lookup(annot.get(PDFName.of('Rect')))
      const height = rect instanceof PDFArray ? Math.abs(Number(rect.get(3).toString()) - Number(rect.get(1).toString())) : 0
      pieces.set(name, [...(pieces.get(name) ?? []), { page: index + 1, height }])
    }
  }
  const found = new Map<string, number>()
  for (const [name, list] of pieces) {
    const tallest = Math.max(...list.map((piece) => piece.height))
    found.set(name, list.find((piece) => piece.height >= tallest / 2)!.page)
  }
  return found
}

/** The page count of a PDF, from its page tree's root (the largest /Count in it). */
export function pageCount(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  return Math.max(0, ...[...text.matchAll(/\/Type \/Pages\s*\/Count (\d+)|\/Count (\d+)\s*\/Kids/g)].map((match) => Number(match[1] ?? match[2])))
}

/** Document information written into the PDF. */
export interface PdfInfo {
  title: string
  author?: string
  subject?: string
  keywords?: string
  creator: string
  /** Creation and modification date. */
  date: Date
  /** The trim in points; pages whose box differs (Chromium snaps A5 to 420 × 594.96) are given it. */
  pageSize?: { width: number; height: number }
}

/** What every PDF of the book says of it (the interior and the cover alike): title, authors, subject, creator, dates. */
export function bookInfo(config: ResolvedConfig): Omit<PdfInfo, 'pageSize'> {
  return {
    title: config.subtitle ? `${config.title}: ${config.subtitle}` : config.title,
    author: joinNames(authorNames(config), config.language),
    ...(config.description ? { subject: config.description } : config.subtitle ? { subject: config.subtitle } : {}),
    creator: `Quire ${QUIRE_VERSION}`,
    date: editionDate(config),
  }
}

/**
 * Page objects with their `/MediaBox` set to the trim. Chromium snaps page
 * sizes to its own grid; the difference (under 0.5 pt) falls in the margins.
 */
function resizedPages(text: string, size: PdfInfo['pageSize']): [number, string][] {
  if (!size) return []
  const round = (value: number) => Math.round(value * 100) / 100
  const box = `/MediaBox [0 0 ${round(size.width)} ${round(size.height)}]`
  const pages: [number, string][] = []
  // As Chromium writes a page (`<</Type /Page`) and as pdf-lib does, joining print jobs (`<<\n/Type /Page`, `[ 0 0 … ]`).
  for (const match of text.matchAll(/^(\d+) 0 obj\n(<<\n?\/Type \/Page\n[\s\S]*?)\nendobj$/gm)) {
    const media = /\/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]/.exec(match[2]!)
    if (!media || (Math.abs(Number(media[1]) - size.width) < 0.01 && Math.abs(Number(media[2]) - size.height) < 0.01)) continue
    pages.push([Number(match[1]), match[2]!.replace(media[0], box)])
  }
  return pages
}

/**
 * Fix Chromium's timestamps (same length, in place) and append an update
 * whose Info dictionary says what the book is. Everything before it is
 * left byte for byte.
 */
export function writeInfo(bytes: Uint8Array, info: PdfInfo): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const stamp = pdfDate(info.date)
  // Same length, so no offset in the file moves: Chromium writes `D:…+00'00'`, others `D:…Z`.
  const forms = [stamp, `${stamp.slice(0, 16)}Z`, stamp.slice(0, 16)]
  const fixed = renumberNodeIds(
    text.replace(/\/(CreationDate|ModDate) \((D:\d{14}[^)]*)\)/g, (match, key: string, value: string) => {
      const same = forms.find((form) => form.length === value.length)
      return same ? `/${key} (${same})` : match
    }),
  )
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s*(\d+)\s*%%EOF\s*$/.exec(fixed)
  if (!trailer) throw new Error('Unexpected PDF from Chromium: no classic trailer to update')
  const size = Number(/\/Size (\d+)/.exec(trailer[1]!)?.[1])
  const root = /\/Root (\d+ \d+ R)/.exec(trailer[1]!)?.[1]
  if (!size || !root) throw new Error('Unexpected PDF from Chromium: trailer without /Size or /Root')
  const entries: [string, string | undefined][] = [
    ['Title', info.title],
    ['Author', info.author],
    ['Subject', info.subject],
    ['Keywords', info.keywords],
    ['Creator', info.creator],
    ['Producer', /\/Producer \(([^)]*)\)/.exec(fixed)?.[1]],
    ['CreationDate', stamp],
    ['ModDate', stamp],
  ]
  const dict = entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `/${key} ${pdfString(value)}`)
    .join('\n')
  const head = fixed.endsWith('\n') ? fixed : `${fixed}\n`
  // New versions of objects, appended: the Info dictionary, and pages whose box Chromium rounded.
  const objects: [number, string][] = [[size, `<<${dict}>>`], ...resizedPages(fixed, info.pageSize)]
  let body = ''
  const offsets: [number, number][] = []
  for (const [number, content] of objects.sort((a, b) => a[0] - b[0])) {
    offsets.push([number, head.length + body.length])
    body += `${number} 0 obj\n${content}\nendobj\n`
  }
  const xrefAt = head.length + body.length
  const xrefEntries = offsets.map(([number, offset]) => `${number} 1\n${String(offset).padStart(10, '0')} 00000 n \n`).join('')
  // The update's trailer repeats the previous one (an /ID among them) with the new size, info and back link.
  const kept = trailer[1]!.replace(/\/(Size|Info|Prev)\s+\d+(\s+\d+\s+R)?/g, '').trim()
  const update = `${body}xref\n0 1\n0000000000 65535 f \n${xrefEntries}trailer\n<<${kept}\n/Size ${size + 1}\n/Info ${size} 0 R\n/Prev ${trailer[2]}>>\nstartxref\n${xrefAt}\n%%EOF\n`
  return Buffer.from(head + update, 'latin1')
}

/**
 * Tagged table cells carry `/ID (node00000603)` from Chromium's DOM node
 * ids, which depend on what else asked for ids during the run. Renumber
 * them in order of appearance, same width, so two builds give the same
 * bytes (and no offset moves).
 */
function renumberNodeIds(text: string): string {
  const ids = new Map<string, string>()
  return text.replace(/\(node(\d+)\)/g, (match, digits: string) => {
    let id = ids.get(digits)
    if (id === undefined) ids.set(digits, (id = String(ids.size + 1).padStart(digits.length, '0')))
    return id.length === digits.length ? `(node${id})` : match
  })
}

/** `D:YYYYMMDDHHmmSS+00'00'`, in UTC. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString()
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`
}

/** A PDF text string: literal when ASCII, UTF-16BE with a byte-order mark in hex otherwise. */
function pdfString(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, (char) => `\\${char}`)})`
  let hex = 'FEFF'
  for (let index = 0; index < value.length; index++) hex += value.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')
  return `<${hex}>`
}
