/**
 * Footnotes (`notes: footnotes`): each note printed at the foot of the page
 * that calls it.
 *
 * Chromium has no `float: footnote`, so the print document keeps each
 * chapter's notes in a hidden store (`storeNotes`), and before the parts
 * are measured a script in the page (`footnotes-page.js`) walks each part's
 * columns (exactly pages, see paginate.ts) one at a time: it finds the lines
 * of the page and the calls on them, decides how many lines fit above their
 * notes, splits the text there and puts a block holding those notes, as
 * tall as the rest of the page, at the split, with a forced break after it.
 * Printing lays that out the same way, and the plan check compares every
 * call's page and its note's page in the printed PDF.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Element } from 'hast'
import { h } from 'hastscript'
import type { Page } from 'puppeteer'
import { visit } from 'unist-util-visit'
import { PACKAGE_ROOT } from '../../files/paths.ts'
import type { PageGeometry } from './page-styles.ts'
import type { PagePlan } from './paginate.ts'
import { readFirstLinks, type ParsedPdf } from './pdf-file.ts'

/** The in-page layout script: read from the sources (it ships beside them, as the preview's client does). */
export const FOOTNOTE_SCRIPT = readFileSync(path.join(PACKAGE_ROOT, 'src', 'render', 'pdf', 'footnotes-page.js'), 'utf8')

/** A note call and the note it calls: printed on the same page. */
export interface NotePair {
  call: string
  note: string
}

/**
 * Take a chapter part's endnotes out of the flow into a hidden store the
 * page script places notes from. Returns the pairs (first call, note) in
 * order.
 */
export function storeNotes(part: Element): NotePair[] {
  let section: { parent: Element; index: number; node: Element } | undefined
  visit(part, 'element', (node, index, parent) => {
    if (node.tagName === 'section' && (node.properties.className as string[] | undefined)?.includes('endnotes') && parent?.type === 'element' && index !== undefined) {
      section = { parent, index, node }
      return false
    }
    return undefined
  })
  if (!section) return []
  const list = section.node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ol')
  const notes = list ? list.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'li') : []
  section.parent.children.splice(section.index, 1)
  const noteIds = new Set(notes.map((note) => String(note.properties.id)))
  const pairs: NotePair[] = []
  const called = new Set<string>()
  visit(part, 'element', (node) => {
    const href = node.properties.href
    if (node.tagName !== 'a' || node.properties.role !== 'doc-noteref' || typeof href !== 'string' || typeof node.properties.id !== 'string') return
    const note = decodeURIComponent(href.slice(1))
    if (!noteIds.has(note) || called.has(note)) return
    called.add(note)
    pairs.push({ call: node.properties.id, note })
  })
  // Numbered as at the chapter's end; the page script keeps the number when it moves a note.
  notes.forEach((note, index) => (note.properties.value = String(index + 1)))
  part.children.push(h('div', { className: ['quire-note-store'], hidden: true }, notes))
  return pairs
}

/** What the page script did, and what it could not do. */
export interface FootnoteReport {
  pages: number
  notes: number
  split: number
  problems: string[]
}

/** Place every stored note at the foot of the page of its call, in the page's screen (column) layout. */
export async function layoutFootnotes(page: Page, geometry: PageGeometry): Promise<FootnoteReport> {
  return page.evaluate(`(() => { ${FOOTNOTE_SCRIPT}\nreturn layoutFootnotes(${geometry.contentWidth}, ${geometry.contentHeight}) })()`) as Promise<FootnoteReport>
}

/** Say what the page script did; what it could not do stops the build, with where. */
export function footnoteProgress(report: FootnoteReport, progress: (step: string) => void, job?: number): void {
  const where = job === undefined ? '' : ` in print job ${job + 1}`
  if (report.problems.length > 0) throw new Error(`Footnotes could not be laid out${where}: ${report.problems.slice(0, 3).join('; ')}. Shorten the note or set notes: endnotes in book.yaml`)
  progress(`footnotes${where}: ${report.notes} notes on ${report.pages} pages, ${report.split} run on to the next page`)
}

/** Every note must begin on the page of its call, in the plan (and so in the print, which is checked against it). */
export function checkNotePages(pairs: NotePair[], plan: PagePlan): void {
  const wrong = pairs.find((pair) => plan.physical.get(pair.call) !== plan.physical.get(pair.note))
  if (wrong) throw new Error(`Footnote #${wrong.note} is planned on page ${plan.physical.get(wrong.note)} but called on page ${plan.physical.get(wrong.call)} (#${wrong.call}). Please report this with the manuscript, or set notes: endnotes in book.yaml`)
}

/**
 * Where the print put each note's first call: the page of the first link to
 * the note (readFirstLinks says why not a destination), as a call id → page
 * map to check with the destinations.
 */
export async function printedCalls(pdf: ParsedPdf, pairs: NotePair[]): Promise<Map<string, number>> {
  if (pairs.length === 0) return new Map()
  const links = await readFirstLinks(pdf, new Set(pairs.map((pair) => pair.note)))
  return new Map(pairs.flatMap((pair) => (links.has(pair.note) ? [[pair.call, links.get(pair.note)!] as const] : [])))
}
