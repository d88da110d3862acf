/** Open a built PDF with poppler (pdftotext, pdfinfo, pdffonts) and qpdf, as a reviewer would. */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib'

const exec = promisify(execFile)

async function tool(command: string, args: string[]): Promise<string> {
  const { stdout } = await exec(command, args, { maxBuffer: 256 * 1024 * 1024 })
  return stdout
}

export interface OpenedPdf {
  file: string
  info: Record<string, string>
  /** Page size in points, from pdfinfo. */
  size: { width: number; height: number }
  /** Each page's text in layout mode, soft hyphens removed; index 0 is page 1. */
  pages: string[]
  fonts: { name: string; type: string; embedded: boolean }[]
  outline: OutlineItem[]
  /** Named destinations: name → 1-based page. */
  dests: Map<string, number>
}

export interface OutlineItem {
  title: string
  page: number
  kids: OutlineItem[]
}

export async function openPdf(file: string): Promise<OpenedPdf> {
  const [infoText, text, fontsText, outlineJson, destsText] = await Promise.all([
    tool('pdfinfo', [file]),
    tool('pdftotext', ['-layout', file, '-']),
    tool('pdffonts', [file]),
    tool('qpdf', ['--json=2', '--json-key=outlines', file]),
    tool('pdfinfo', ['-dests', file]),
  ])
  const info = Object.fromEntries(infoText.split('\n').filter((line) => line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]))
  const size = /([\d.]+) x ([\d.]+) pts/.exec(info['Page size'] ?? '')
  const pages = text.replace(/\u00AD/g, '').split('\f')
  if (pages.at(-1)?.trim() === '') pages.pop()
  const fonts = fontsText
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const match = /^(\S+)\s+(.+?)\s{2,}\S+\s+(yes|no)\s+(yes|no)\s+(yes|no)/.exec(line)
      return { name: match?.[1] ?? line, type: match?.[2] ?? '', embedded: match?.[3] === 'yes' }
    })
  type Raw = { title: string; destpageposfrom1: number; kids: Raw[] }
  const convert = (items: Raw[]): OutlineItem[] => items.map((item) => ({ title: item.title, page: item.destpageposfrom1, kids: convert(item.kids) }))
  const outline = convert((JSON.parse(outlineJson) as { outlines: Raw[] }).outlines)
  const dests = new Map([...destsText.matchAll(/^\s*(\d+)\s+\[[^\]]*\]\s+"([^"]+)"/gm)].map((match) => [match[2]!, Number(match[1])]))
  return { file, info, size: { width: Number(size?.[1]), height: Number(size?.[2]) }, pages, fonts, outline, dests }
}

/** Text without layout: runs of spaces collapsed, for looking things up. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** A page's non-empty lines, trimmed. */
export function lines(page: string): string[] {
  return page.split('\n').map((line) => line.trim()).filter(Boolean)
}

/** Letters only, uppercased: running heads are letter-spaced, which pdftotext reads as spaces. */
export function letters(text: string): string {
  return text.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase()
}

/** The folio printed at the foot of a page (its last line, when that is a number or roman numeral). */
export function folio(page: string): string | undefined {
  const last = lines(page).at(-1)
  return last && /^([0-9]+|[ivxlc]+)$/.test(last) ? last : undefined
}

/** The contents entries: "1.2 Title … 14" lines, with their number, title and page. */
export function contentsEntries(pages: string[]): { label: string; page: string }[] {
  const entries: { label: string; page: string }[] = []
  for (const page of pages) {
    for (const line of lines(page)) {
      const match = /^(.*\S)\s{2,}(\d+)$/.exec(line)
      if (match) entries.push({ label: flat(match[1]!), page: match[2]! })
    }
  }
  return entries
}

/**
 * Where two PDFs differ, for a failure message: the first differing lines of
 * their uncompressed forms (qpdf --qdf), each with the page whose content it
 * is in. Byte offsets (the xref table) are left out: they follow any change.
 */
export async function pdfDifference(a: string, b: string, limit = 8): Promise<string> {
  // qpdf exits with 3 on warnings: its output is still what is compared.
  const expand = async (file: string) =>
    (await exec('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { encoding: 'latin1', maxBuffer: 512 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))).stdout.split('\n')
  const [left, right] = await Promise.all([expand(a), expand(b)])
  const found: string[] = []
  let page = '-'
  for (let index = 0; index < Math.max(left.length, right.length) && found.length < limit; index++) {
    const line = left[index] ?? ''
    // qdf marks each page's object and its content stream, each followed by its original id; any other object belongs to no one page.
    const marked = /^%% (?:Contents for page|Page) (\d+)/.exec(line)?.[1]
    if (marked) page = marked
    else if (line.startsWith('%% Original object ID') && !/^%% (?:Contents for page|Page) \d+/.test(left[index - 1] ?? '')) page = '-'
    if (line === right[index] || /^\d{10} \d{5} [fn] ?$/.test(line)) continue
    found.push(`line ${index + 1} (page ${page}): ${JSON.stringify(line.slice(0, 100))} ≠ ${JSON.stringify((right[index] ?? '').slice(0, 100))}`)
  }
  return `${left.length} and ${right.length} lines; first differences:\n${found.join('\n')}`
}

/**
 * The pages holding a link to each named destination, in page order, read
 * with pdf-lib from the link annotations. A link under 2 pt tall is left
 * out: a raised note call on a page's first line leaves such a sliver of
 * its link at the foot of the page before.
 */
export async function linkPages(file: string): Promise<Map<string, number[]>> {
  const pages = new Map<string, number[]>()
  const document = await PDFDocument.load(await readFile(file), { updateMetadata: false })
  for (const [index, page] of document.getPages().entries()) {
    const annots = page.node.Annots()
    for (let at = 0; annots && at < annots.size(); at++) {
      const annot = document.context.lookup(annots.get(at)) as PDFDict
      const dest = annot.get(PDFName.of('Dest'))
      const rect = document.context.lookup(annot.get(PDFName.of('Rect'))) as PDFArray
      const height = Math.abs(Number(rect.get(3).toString()) - Number(rect.get(1).toString()))
      if (!(dest instanceof PDFName) || height < 2) continue
      pages.set(dest.decodeText(), [...(pages.get(dest.decodeText()) ?? []), index + 1])
    }
  }
  return pages
}
