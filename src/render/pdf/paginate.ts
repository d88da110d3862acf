/**
 * Where every part and every contents entry falls, before printing.
 *
 * Chromium cannot fill in page numbers itself (no `target-counter()`) and
 * does not insert the blank left page before a chapter (`break-before:
 * right` does nothing). So the paginator lays each part out as a column
 * box whose columns are exactly the page's content area, reads which
 * column each heading lands in, and plans the blank pages and folios from
 * that. The same fragmentation engine lays out columns and pages, and
 * left and right pages have the same content width, so the plan is what
 * printing gives, provided nothing sticks out of a part sideways: Chromium
 * would lay the printed document out that much wider and scale it down, and
 * lines that just overflowed a column would fit in print (`print.css` clips
 * it). The renderer still checks every target against the printed PDF and,
 * when they disagree, corrects the plan from the printed pages
 * (`correctMeasurements`) and prints again.
 */
import type { Page } from 'puppeteer'
import type { PageGeometry } from './page-styles.ts'
import type { PrintPart } from './print-document.ts'
import { roman } from '../../text/numerals.ts'

/** A part's length in pages, and the page (0-based, within the part) of each contents target in it. */
export interface MeasuredPart {
  id: string
  pages: number
  offsets: Record<string, number>
}

/** The pagination decided before printing. */
export interface PagePlan {
  /** Parts preceded by an inserted blank page, and whether that blank counts as front matter. */
  blanks: { before: string; front: boolean }[]
  /** 1-based physical page of each contents target. */
  physical: Map<string, number>
  /** The folio printed for each contents target. */
  folios: Map<string, string>
  /** Total pages. */
  pages: number
  /** The index's locator lists, numbered (book-index.ts `printedLocators`), by list id. */
  locators?: Map<string, { text: string; href: string }[]>
}

/**
 * The stylesheet that lays every part out in columns the size of the
 * page's content area. Screen only: the first layout after loading is the
 * measurement, and printing never sees it.
 */
export function measureStyles(geometry: PageGeometry): string {
  const { contentWidth: width, contentHeight: height } = geometry
  return `@media screen { body > .part { break-before: auto; width: ${width}px; height: ${height}px; column-width: ${width}px; column-gap: 0; column-fill: auto; } }`
}

/** Read each part's length and the column of every contents target from the screen layout. */
export async function measureParts(page: Page, geometry: PageGeometry, targets: string[]): Promise<MeasuredPart[]> {
  const width = geometry.contentWidth
  // Runs in the page (scripts of the document itself stay disabled); a string, as Quire's types have no DOM.
  return page.evaluate(`((width, targets) => {
    // A part ends on the column of its last line of text (or its last box, an image):
    // a trailing margin may spill into one more column, where printing drops it at the page's foot.
    const columnOf = (rect, left) => Math.floor((rect.left - left + 0.5) / width)
    const lastColumn = (part, left) => {
      let column = -1
      const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT)
      let text = walker.lastChild()
      while (text && !text.textContent.trim()) text = walker.previousNode()
      if (text) {
        const range = document.createRange()
        range.selectNodeContents(text)
        const rects = range.getClientRects()
        if (rects.length > 0) column = columnOf(rects[rects.length - 1], left)
      }
      let node = part
      while (node.lastElementChild) node = node.lastElementChild
      const boxes = node.getClientRects()
      if (boxes.length > 0) column = Math.max(column, columnOf(boxes[boxes.length - 1], left))
      return column >= 0 ? column : Math.round(part.scrollWidth / width) - 1
    }
    const measured = [...document.querySelectorAll('body > .part')].map((part) => {
      const left = part.getBoundingClientRect().left
      return { id: part.id, pages: Math.max(1, lastColumn(part, left) + 1), offsets: {}, left }
    })
    const byId = new Map(measured.map((entry) => [entry.id, entry]))
    for (const id of targets) {
      const element = document.getElementById(id)
      const part = element && element.closest('body > .part')
      const entry = part && byId.get(part.id)
      const rect = element && element.getClientRects()[0]
      if (entry && rect) entry.offsets[id] = Math.floor((rect.left - entry.left + 0.5) / width)
    }
    return measured.map(({ id, pages, offsets }) => ({ id, pages, offsets }))
  })(${width}, ${JSON.stringify(targets)})`) as Promise<MeasuredPart[]>
}

/** Decide the blank pages (every recto part opens on an odd page) and every target's page and folio. */
export function planPages(parts: PrintPart[], measured: MeasuredPart[]): PagePlan {
  const lengths = new Map(measured.map((part) => [part.id, part]))
  const blanks: PagePlan['blanks'] = []
  const physical = new Map<string, number>()
  const starts = new Map<string, number>()
  let next = 1
  let bodyStart: number | undefined
  for (const part of parts) {
    const measure = lengths.get(part.id)
    if (!measure) throw new Error(`Pagination lost part "${part.id}"`)
    if (part.recto && next % 2 === 0) {
      // The blank before the first chapter still belongs to the front matter: page 1 is the chapter's.
      blanks.push({ before: part.id, front: part.front || bodyStart === undefined })
      next++
    }
    if (!part.front && bodyStart === undefined) bodyStart = next
    starts.set(part.id, next)
    for (const [id, offset] of Object.entries(measure.offsets)) physical.set(id, next + offset)
    next += measure.pages
  }
  const folios = new Map<string, string>()
  for (const [id, page] of physical) folios.set(id, bodyStart !== undefined && page >= bodyStart ? String(page - bodyStart + 1) : roman(page))
  return { blanks, physical, folios, pages: next - 1 }
}

/**
 * Measurements corrected by where the printed PDF put the targets: each
 * part's length from where the next one starts, when the print shows where
 * that is (a part's start is where its first target landed: a chapter's own
 * id is its first element). A part whose own start the print does not show
 * (the title pages, the contents) starts where the parts before it end, so
 * the one just before the first chapter (the contents, or a preface after
 * them) takes up whatever the front matter's pages were off by. Part
 * lengths do not depend on which side a part starts on, so a plan from
 * these is exact.
 */
export function correctMeasurements(parts: PrintPart[], measured: MeasuredPart[], plan: PagePlan, printed: Map<string, number>): MeasuredPart[] {
  const corrected = measured.map((part) => ({ ...part, offsets: { ...part.offsets } }))
  const byId = new Map(corrected.map((part) => [part.id, part]))
  const blankBefore = new Set(plan.blanks.map((blank) => blank.before))
  const start = (part: PrintPart) => {
    const first = Object.entries(byId.get(part.id)!.offsets).find(([, offset]) => offset === 0)?.[0]
    return first === undefined ? undefined : printed.get(first)
  }
  const starts = parts.map(start)
  let position = 1
  for (const [index, part] of parts.entries()) {
    const entry = byId.get(part.id)!
    if (blankBefore.has(part.id)) position++
    const begins = starts[index] ?? position
    if (starts[index] !== undefined) {
      for (const id of Object.keys(entry.offsets)) {
        const page = printed.get(id)
        if (page !== undefined) entry.offsets[id] = page - begins
      }
    }
    const following = parts[index + 1]
    const nextBegins = starts[index + 1]
    if (following && nextBegins !== undefined) entry.pages = nextBegins - begins - (blankBefore.has(following.id) ? 1 : 0)
    position = begins + entry.pages
  }
  return corrected
}

/** What a print job (a run of parts, see jobs.ts) adds to its share of the plan. */
export interface JobPlan {
  /** The blank page before the next job's first part, which closes this one. */
  end?: { front: boolean }
  /** A stylesheet for the job's page counters. */
  style?: string
}

/**
 * Put the plan into the page: blank pages where needed, numbers into the
 * contents. A print job's page holds only some parts: it gets the blanks
 * before those, and `job` for the rest.
 */
export async function applyPlan(page: Page, plan: PagePlan, job: JobPlan = {}): Promise<void> {
  await page.evaluate(`((blanks, folios, end, style, locators) => {
    for (const old of document.querySelectorAll('.quire-inserted')) old.remove()
    const blankPage = (front) => {
      const blank = document.createElement('div')
      blank.className = 'part blank-page quire-inserted'
      blank.style.setProperty('page', front ? 'front' : 'blank')
      return blank
    }
    for (const { before, front } of blanks) document.getElementById(before).before(blankPage(front))
    if (end) document.body.append(blankPage(end.front))
    if (style) {
      const element = document.createElement('style')
      element.className = 'quire-inserted'
      element.textContent = style
      document.head.append(element)
    }
    // The contents' numbers, and the pages of {.page} links (several links may name one target).
    const slots = new Map()
    for (const slot of document.querySelectorAll('.toc-page, .page-slot')) slots.set(slot.getAttribute('data-quire-target'), [...(slots.get(slot.getAttribute('data-quire-target')) || []), slot])
    for (const [id, folio] of folios) for (const slot of slots.get(id) || []) slot.textContent = folio
    // The index's page numbers, each linking to its first mark.
    for (const [id, list] of locators) {
      const element = document.querySelector('[data-quire-locators="' + id + '"]')
      if (!element) continue
      element.replaceChildren()
      list.forEach(({ text, href }, index) => {
        if (index > 0) element.append(', ')
        const link = document.createElement('a')
        link.className = 'index-locator'
        link.setAttribute('href', href)
        link.textContent = text
        element.append(link)
      })
    }
  })(${JSON.stringify(plan.blanks)}, ${JSON.stringify([...plan.folios])}, ${JSON.stringify(job.end ?? null)}, ${JSON.stringify(job.style ?? null)}, ${JSON.stringify([...(plan.locators ?? [])])})`)
}

/** The 1-based physical page each part starts on, as `planPages` placed it. */
export function partStarts(parts: PrintPart[], measured: MeasuredPart[], plan: Pick<PagePlan, 'blanks'>): Map<string, number> {
  const lengths = new Map(measured.map((part) => [part.id, part.pages]))
  const blankBefore = new Set(plan.blanks.map((blank) => blank.before))
  const starts = new Map<string, number>()
  let next = 1
  for (const part of parts) {
    if (blankBefore.has(part.id)) next++
    starts.set(part.id, next)
    next += lengths.get(part.id)!
  }
  return starts
}

/** The body folio printed on physical page `page` (the first body part's first page is 1). */
export function bodyFolio(parts: PrintPart[], starts: Map<string, number>, page: number): number {
  const first = parts.find((part) => !part.front)
  return page - (first ? starts.get(first.id)! : 1) + 1
}
