/**
 * The print document cut at part boundaries into print jobs, each a
 * document of its own that Chromium lays out and prints on its own (see
 * print-jobs.ts). The first job holds the front matter; every job opens
 * with a body part, so on a right-hand page, its first page, and never
 * inside a part of the book: Chromium makes each job's outline from its
 * headings, and a job that began mid-part would list its chapters at the top.
 *
 * How many jobs depends on the book alone, never on the machine: the bytes
 * of the joined PDF must not depend on how many cores printed it. A job is
 * about `JOB_SIZE` characters of markup, some 250 pages: each job pays a
 * fixed cost (its fonts loaded, its styles applied), and an edit reprints
 * the jobs it touches. On the 60-chapter benchmark book (1,944 pages, two
 * cores) 8 jobs printed as fast as 2 from cold and reprinted a one-sentence
 * edit in a third of the time.
 */
import type { Element, ElementContent, Root } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import { visit } from 'unist-util-visit'
import { decodeUri } from '../../manuscript/uri.ts'
import { JOB_LINK_SCHEME } from './join.ts'
import type { PrintPart } from './print-document.ts'

/** Markup per print job, in characters (default job size). */
export const JOB_SIZE = 600_000

/** One print job: consecutive parts, and the document that prints them. */
export interface PrintJob {
  /** 0-based, in book order. */
  index: number
  parts: PrintPart[]
  /** Every element id in the job's parts. */
  ids: Set<string>
  /** The targets whose page numbers it shows (contents, {.page} links), and the index locator lists in it. */
  slots: Set<string>
  lists: Set<string>
  /** The job's document, and its serialization. */
  tree: Root
  html: string
}

/**
 * How many jobs a book is printed in: `QUIRE_PDF_JOBS` when set (tests and
 * benchmarks; 1 prints the whole book as one document), else one per
 * `JOB_SIZE` of markup.
 */
export function jobCount(parts: PrintPart[], elements: Map<string, Element>, env: NodeJS.ProcessEnv = process.env): number {
  const body = parts.filter(opensJob).length
  const asked = env.QUIRE_PDF_JOBS === undefined || env.QUIRE_PDF_JOBS === '' ? undefined : Number(env.QUIRE_PDF_JOBS)
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) throw new Error(`QUIRE_PDF_JOBS is ${env.QUIRE_PDF_JOBS}; set it to a whole number of print jobs, 1 or more, or unset it`)
  const size = [...elements.values()].reduce((sum, element) => sum + markupSize(element), 0)
  return Math.max(1, Math.min(body, asked ?? Math.round(size / JOB_SIZE)))
}

/** Whether a job may begin with `part`: a part of the body, not inside a part of the book (whose outline must stay in one job). */
function opensJob(part: PrintPart): boolean {
  return !part.front && !part.withinPart
}

/** Split the parts into `count` runs of about equal markup; the front matter goes with the first. */
export function splitParts(parts: PrintPart[], elements: Map<string, Element>, count: number): PrintPart[][] {
  const partSizes = parts.map((part) => markupSize(elements.get(part.id)!))
  const total = partSizes.reduce((sum, size) => sum + size, 0)
  const jobs: PrintPart[][] = [[]]
  let done = 0
  for (const [index, part] of parts.entries()) {
    const current = jobs.at(-1)!
    // A new job starts at a body part once the ones before hold their share, while enough body parts remain for the rest.
    const bodyLeft = parts.slice(index).filter(opensJob).length
    const due = done >= (total * jobs.length) / count
    if (opensJob(part) && current.some((earlier) => !earlier.front) && jobs.length < count && (due || bodyLeft <= count - jobs.length)) jobs.push([])
    jobs.at(-1)!.push(part)
    done += partSizes[index]!
  }
  return jobs
}

/**
 * The jobs' documents: `head` (the styles every job shares), then
 * `styles(parts)` (the page rules for its parts), then its parts. A link to
 * an element another job prints becomes a `quire-dest:` link (joined into a
 * link to that page); an element a link from another job points to gets a
 * hidden link in its own job, so Chromium gives it a named destination.
 */
export function jobDocuments(head: ElementContent[], parts: PrintPart[][], elements: Map<string, Element>, styles: (parts: PrintPart[]) => string, language: string): PrintJob[] {
  const slotsOf = parts.map(() => new Set<string>())
  const listsOf = parts.map(() => new Set<string>())
  const idsOf = parts.map((job, index) => {
    const ids = new Set<string>()
    for (const part of job) {
      visit(elements.get(part.id)!, 'element', (node) => {
        if (typeof node.properties.id === 'string') ids.add(node.properties.id)
        if (typeof node.properties.dataQuireTarget === 'string') slotsOf[index]!.add(node.properties.dataQuireTarget)
        if (typeof node.properties.dataQuireLocators === 'string') listsOf[index]!.add(node.properties.dataQuireLocators)
      })
    }
    return ids
  })
  const jobOf = new Map(idsOf.flatMap((ids, index) => [...ids].map((id) => [id, index] as const)))
  // Fragments as spelled, by the job that holds their element, for links from other jobs.
  const wanted = parts.map(() => new Set<string>())
  const bodies = parts.map((job, index) =>
    job.map((part) => {
      const element = structuredClone(elements.get(part.id)!)
      visit(element, 'element', (node) => {
        const href = node.properties.href
        if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return
        const target = jobOf.get(decodeUri(href.slice(1)))
        if (target === undefined || target === index) return
        node.properties.href = `${JOB_LINK_SCHEME}${href.slice(1)}`
        wanted[target]!.add(href.slice(1))
      })
      return element
    }),
  )
  return parts.map((job, index) => {
    const targets = [...wanted[index]!].map((fragment) => h('a', { href: `#${fragment}` }))
    const body = h('body', [...bodies[index]!, ...(targets.length > 0 ? [h('div', { hidden: true, className: ['quire-link-targets'] }, targets)] : [])])
    const document: Root = { type: 'root', children: [{ type: 'doctype' }, h('html', { lang: language }, [h('head', [...head, h('style', styles(job))]), body])] }
    return { index, parts: job, ids: idsOf[index]!, slots: slotsOf[index]!, lists: listsOf[index]!, tree: document, html: toHtml(document) }
  })
}

/**
 * The job's page counter: its first page, the opening of `part`, shows
 * `folio` (a body folio: the front matter is only ever in the first job).
 * Chromium keeps a `counter-reset` in `@page` to its one page, so the first
 * page counts that much instead; it must also count the part's own counter
 * (page-styles.ts), which keeps the running head off the opening, and
 * `name:first` outranks the part's `@page name` rule.
 */
export function folioStyle(part: PrintPart, folio: number): string {
  return `@page ${part.page}:first { counter-increment: page ${folio} quire-${part.page} 1; }`
}

/** Sizes already counted: `jobCount` and `splitParts` both read every part's. */
const sizes = new WeakMap<Element, number>()

/** A part's markup size, for balancing the jobs: its text and tags, roughly. */
function markupSize(element: Element): number {
  let size = sizes.get(element)
  if (size !== undefined) return size
  size = 0
  visit(element, (node) => {
    size! += node.type === 'text' ? node.value.length : node.type === 'element' ? 16 : 0
  })
  sizes.set(element, size)
  return size
}
