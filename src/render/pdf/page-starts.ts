/**
 * Where each printed page begins, for the EPUB's page list (`print-isbn:`):
 * read from the laid-out print page, the plan applied, in the same screen
 * layout the plan was measured in (a part's column k is its page k).
 *
 * A page's start is named as the EPUB can find it again: the nearest
 * element with an id at or before it (a heading, a note, an index entry, a
 * marked word; the chapter itself) and how many characters of text follow
 * that element's start before it, in document order. Soft hyphens and what
 * only print has (a footnote's place at the foot, a {.page} link's page, the
 * index's page numbers, a hyphen shown where a paragraph was cut) are not
 * counted; the EPUB counts the same way (epub/page-list.ts).
 */
import type { Page } from 'puppeteer'
import type { PageGeometry } from './page-styles.ts'
import type { PrintPart } from './print-document.ts'
import { bodyFolio, partStarts, type MeasuredPart, type PagePlan } from './paginate.ts'

/** Print-only regions, left out of the count on both sides. */
export const PRINT_ONLY = ['.quire-note-store', '.page-notes', '.quire-link-targets', '.page-ref-page', '.index-locator-list', '.quire-hyphen', '.quire-measurer']

/** The first text of a part's page, as the page script finds it. */
export interface PageStart {
  part: string
  column: number
  anchor: string
  offset: number
  /** The text from there on (some 80 characters), for messages and tests. */
  text: string
}

/** A printed page of the body and where it begins. */
export interface PrintedPage {
  /** Its folio, as printed (the body's arabic numbers). */
  label: string
  anchor: string
  offset: number
  text: string
}

/** Read where each page of each part begins. */
export async function capturePageStarts(page: Page, geometry: PageGeometry): Promise<PageStart[]> {
  return page.evaluate(`((width, excluded) => {
    const starts = []
    const range = document.createRange()
    const counted = (text) => text.replace(/\\u00AD/g, '').length
    for (const part of document.querySelectorAll('body > .part[id]')) {
      const left = part.getBoundingClientRect().left
      const columnOf = (rect) => Math.floor((rect.left - left + 0.5) / width)
      let anchor = part.id
      let offset = 0
      let column = -1
      const charColumn = (text, at) => {
        for (; at < text.data.length; at++) {
          range.setStart(text, at)
          range.setEnd(text, at + 1)
          const rects = range.getClientRects()
          if (rects.length > 0) return columnOf(rects[0])
        }
        return Infinity
      }
      const visit = (node) => {
        if (node.nodeType === Node.ELEMENT_NODE) {
          if (node.matches(excluded) || node.hidden) return
          if (node.id && node !== part) {
            anchor = node.id
            offset = 0
          }
          for (const child of node.childNodes) visit(child)
          return
        }
        if (node.nodeType !== Node.TEXT_NODE) return
        const data = node.data
        if (data.trim() !== '') {
          range.selectNodeContents(node)
          const rects = range.getClientRects()
          const last = rects.length > 0 ? columnOf(rects[rects.length - 1]) : -1
          while (column < last) {
            const target = column + 1
            let low = 0
            let high = data.length
            while (low < high) {
              const middle = (low + high) >> 1
              if (charColumn(node, middle) >= target) high = middle
              else low = middle + 1
            }
            const found = Math.min(charColumn(node, low), last)
            // A page with no text of its own (an image) begins where the next text does.
            for (let at = target; at <= found; at++) starts.push({ part: part.id, column: at, anchor, offset: offset + counted(data.slice(0, low)), text: data.slice(low, low + 80).replace(/\\u00AD/g, '') })
            column = found
          }
        }
        offset += counted(data)
      }
      visit(part)
    }
    return starts
  })(${geometry.contentWidth}, ${JSON.stringify(PRINT_ONLY.join(', '))})`) as Promise<PageStart[]>
}

/**
 * Every page of the body (from folio 1 to the last page) and where it
 * begins; a page with no text (a blank verso) begins where the next one does.
 */
export function printedPages(parts: PrintPart[], measured: MeasuredPart[], plan: PagePlan, starts: PageStart[]): PrintedPage[] {
  const first = partStarts(parts, measured, plan)
  const body = parts.find((part) => !part.front)
  if (!body) return []
  const bodyStart = first.get(body.id)!
  const byPage = new Map<number, PageStart>()
  for (const start of starts) {
    const at = first.get(start.part)
    if (at === undefined) continue
    const physical = at + start.column
    if (!byPage.has(physical)) byPage.set(physical, start)
  }
  const pages: PrintedPage[] = []
  // Blank pages after the last text begin where it does.
  let next = byPage.get(Math.max(...[...byPage.keys()].filter((page) => page <= plan.pages)))
  for (let physical = plan.pages; physical >= bodyStart; physical--) {
    next = byPage.get(physical) ?? next
    if (!next) continue
    pages.unshift({ label: String(bodyFolio(parts, first, physical)), anchor: next.anchor, offset: next.offset, text: next.text })
  }
  return pages
}
