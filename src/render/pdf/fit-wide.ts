/**
 * Nothing wider than the page reaches the print. `print.css` clips what
 * sticks out of a part sideways (so Chromium never scales the book down:
 * see paginate.ts), which would cut a table wider than the text column
 * without a word. So, in the laid-out print page and before it is measured,
 * every table wider than its column is made to fit: first smaller type
 * (down to `FLOOR` of its own), then its columns split into several tables
 * stacked one after another, each repeating the first (label) column, and
 * as a last resort cell text broken anywhere. Images, preformatted text and
 * tables are then measured again; whatever still sticks out fails the build
 * with its chapter, line and column, never printed cut.
 */
import type { Element, Root } from 'hast'
import type { Page } from 'puppeteer'
import { visit } from 'unist-util-visit'
import type { Book } from '../../model/types.ts'

/** The smallest type a table is set in, as a share of its own size. */
export const FLOOR = 0.6

/** What is measured after fitting; the page and the hast tree list them in the same order. */
const MEASURED = ['table', 'pre', 'img']

/** What fitting did, for the progress line. */
export interface FitReport {
  /** Tables set smaller. */
  shrunk: number
  /** Tables split by columns. */
  split: number
}

/**
 * Fit every table to its column, then fail on anything still wider than
 * its column, naming where it is in the manuscript.
 */
export async function fitWideContent(page: Page, document: Root, book: Book): Promise<FitReport> {
  const result = (await page.evaluate(`${FIT_IN_PAGE}(${FLOOR}, ${JSON.stringify(MEASURED.join(', '))})`)) as FitReport & { overflowing: { index: number; excess: number }[] }
  if (result.overflowing.length === 0) return { shrunk: result.shrunk, split: result.split }
  const places = measuredElements(document, book)
  const described = result.overflowing.map(({ index, excess }) => {
    const place = places[index]
    const what = place?.element.tagName === 'pre' ? 'preformatted text' : place?.element.tagName === 'img' ? 'an image' : 'a table'
    const where = place?.source ? `${place.source}${place.element.position ? `:${place.element.position.start.line}:${place.element.position.start.column}` : ''}` : 'the front or back matter'
    return `${where}: ${what} ${Math.ceil(excess)} px wider than the page's text column`
  })
  throw new Error(
    `The PDF would cut off content wider than the page: ${described.join('; ')}. Quire sets a wide table smaller and splits it by columns; this one cannot be made to fit (a cell holding something that cannot wrap). Make it narrower or split it in the manuscript`,
  )
}

/** The measured elements of the print document in document order, each with the chapter file it came from. */
function measuredElements(document: Root, book: Book): { element: Element; source?: string }[] {
  const sourceOfPart = new Map(book.chapters.map((chapter) => [`part-${chapter.id}`, chapter.source]))
  const found: { element: Element; source?: string }[] = []
  let source: string | undefined
  visit(document, 'element', (node) => {
    if (node.properties.className && (node.properties.className as string[]).includes('part')) source = sourceOfPart.get(String(node.properties.id))
    if (MEASURED.includes(node.tagName)) found.push({ element: node, ...(source ? { source } : {}) })
  })
  return found
}

/**
 * Runs in the print page: a string, as Quire's types have no DOM. Each
 * element's available width is its parent's content box, which in the
 * measuring layout is at most one page column. Measured elements are
 * numbered first, so pieces of a split table keep their table's number.
 */
const FIT_IN_PAGE = `((floor, measured) => {
  // Widths of one fragment (a box split across columns has one rect per column), unrounded.
  const width = (element) => Math.max(0, ...[...element.getClientRects()].map((rect) => rect.width))
  const available = (element) => {
    const parent = element.parentElement
    const style = getComputedStyle(parent)
    const sides = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth'].reduce((sum, side) => sum + parseFloat(style[side]), 0)
    return width(parent) - sides
  }
  // A hundredth of a pixel: less cannot hide a glyph, and a table's width has fractions.
  const fits = (element) => width(element) <= available(element) + 0.01
  const all = [...document.querySelectorAll(measured)].filter((element) => element.closest('body > .part'))
  all.forEach((element, index) => element.setAttribute('data-quire-measured', String(index)))
  // Splitting by columns needs a plain grid: every row the same cells, none spanning.
  const isGrid = (table) => {
    const rows = [...table.rows]
    const count = rows[0] ? rows[0].cells.length : 0
    return count > 2 && rows.every((row) => row.cells.length === count && [...row.cells].every((cell) => cell.colSpan === 1 && cell.rowSpan === 1))
  }
  // A copy of the table with its label column and the columns first to last; the caption and id stay with the first piece.
  const piece = (table, first, last, isFirst) => {
    const copy = table.cloneNode(true)
    if (!isFirst) {
      if (copy.caption) copy.caption.remove()
      copy.removeAttribute('id')
    }
    for (const row of copy.rows) for (let index = row.cells.length - 1; index >= 1; index--) if (index < first || index > last) row.deleteCell(index)
    copy.classList.add('table-columns')
    return copy
  }
  let shrunk = 0
  let split = 0
  for (const table of all.filter((element) => element.tagName === 'TABLE')) {
    if (fits(table)) continue
    shrunk++
    const size = parseFloat(getComputedStyle(table).fontSize)
    for (let step = 1; !fits(table) && 1 - step / 10 >= floor - 0.001; step++) table.style.fontSize = (size * (1 - step / 10)) + 'px'
    if (fits(table)) continue
    if (!isGrid(table)) {
      table.classList.add('quire-break-anywhere')
      continue
    }
    // Stacked pieces: each the label column and as many further columns as fit, one at least.
    split++
    const columns = table.rows[0].cells.length
    for (let first = 1, isFirst = true; first < columns; isFirst = false) {
      let last = first
      let candidate = piece(table, first, last, isFirst)
      table.before(candidate)
      if (!fits(candidate)) candidate.classList.add('quire-break-anywhere')
      while (last + 1 < columns && !candidate.classList.contains('quire-break-anywhere')) {
        const wider = piece(table, first, last + 1, isFirst)
        candidate.replaceWith(wider)
        if (!fits(wider)) {
          wider.replaceWith(candidate)
          break
        }
        candidate = wider
        last++
      }
      first = last + 1
    }
    table.remove()
  }
  // Whatever still sticks out, by its number.
  const overflowing = []
  for (const element of document.querySelectorAll('[data-quire-measured]')) {
    const excess = width(element) - available(element)
    if (excess > 0.01) overflowing.push({ index: Number(element.getAttribute('data-quire-measured')), excess })
  }
  return { shrunk, split, overflowing }
})`
