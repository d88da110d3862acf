/**
 * The book printed as several print jobs (jobs.ts) at once, each in a
 * browser context of its own (a renderer process of its own), then joined
 * (join.ts). Each job's page is laid out, measured and printed as the whole
 * book's is in one page (index.ts): the plan is made from every job's
 * measurements, each job is given its share (its blanks, the folio its
 * first page shows, the contents' numbers for the first), and each printed
 * job is checked against the plan, its destinations and its page count, and
 * printed again when it differs.
 *
 * A printed job is kept in the cache under its document, its share of the
 * plan, the styles and the browser: after an edit, only the jobs whose
 * document or first folio changed are printed again. A job none of whose
 * parts changed is not even laid out: its parts' lengths, confirmed by its
 * last print, are remembered (measure-memory.ts).
 */
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Browser, BrowserContext, Page } from 'puppeteer'
import { cacheKey, openCache } from '../../cache/store.ts'
import { settleFonts, showWithFonts } from '../../browser/fonts.ts'
import { printOnly } from './print-only.ts'
import { openLockedPage } from '../../browser/session.ts'
import type { Book } from '../../model/types.ts'
import type { RenderContext } from '../types.ts'
import { fitWideContent } from './fit-wide.ts'
import { withLocators } from '../book-index.ts'
import { capturePageStarts, type PageStart } from './page-starts.ts'
import { checkNotePages, footnoteProgress, layoutFootnotes, printedCalls, type NotePair } from './footnotes.ts'
import { folioStyle, type PrintJob } from './jobs.ts'
import { joinPdfs } from './join.ts'
import type { MeasureMemory } from './measure-memory.ts'
import type { PageGeometry } from './page-styles.ts'
import { applyPlan, bodyFolio, correctMeasurements, measureParts, partStarts, planPages, type JobPlan, type MeasuredPart, type PagePlan } from './paginate.ts'
import { pageCount, parsePdf, readDestinations, type ParsedPdf } from './pdf-file.ts'
import type { PrintPart } from './print-document.ts'

const KIND = 'pdf-jobs'

/** How many times a job is printed when its pages disagree with the plan (as for the whole book). */
const MAX_PRINTS = 4

export interface JobsInput {
  book: Book
  browser: Browser
  jobs: (PrintJob & { file: string })[]
  parts: PrintPart[]
  targets: string[]
  /** With footnotes: the calls and notes that must print on one page. */
  notePairs: NotePair[]
  /** The index's locator lists, numbered from the plan. */
  indexLists: Map<string, { start: string; end?: string }[]>
  /** Read where each page begins (for the EPUB's page list). */
  pageStarts: boolean
  geometry: PageGeometry
  memory: MeasureMemory
  /** Everything but a job's document and plan its print depends on: styles, fonts, page size, browser. */
  layout: string[]
  variant: 'screen' | 'print' | 'both'
  allow: (url: string) => boolean
  onBlocked: (url: string) => void
  context: RenderContext
}

export interface JobsResult {
  plan: PagePlan
  /** The checked, linked and tagged PDF (absent for variant `print`). */
  screen?: Uint8Array
  /** The print-on-demand PDF: no links, bookmarks or tags (absent for variant `screen`). */
  bare?: Uint8Array
  /** What the final plan was made from, for the measure memory. */
  measured: MeasuredPart[]
  /** Where each page of each part begins, when asked. */
  starts: PageStart[]
}

/** What the cache keeps of a printed job. */
interface PrintedJob {
  screen?: Uint8Array
  bare?: Uint8Array
  /** Where its pages begin, when the print was asked for them. */
  starts?: PageStart[]
}

/**
 * How many jobs print at once: `QUIRE_PDF_WORKERS` when set, else one per
 * core. More than that only makes them wait for each other.
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.QUIRE_PDF_WORKERS)
  return Number.isInteger(asked) && asked >= 1 ? asked : Math.max(1, os.availableParallelism())
}

/** Print the jobs, `workerCount()` at a time, check them, and join them. */
export async function printJobs(input: JobsInput): Promise<JobsResult> {
  const { book, jobs, parts, targets, geometry, memory, variant, context } = input
  const progress = context.onProgress ?? (() => {})
  const cache = openCache(context.reuse === false ? undefined : context.cacheDir)
  const workers = workerCount()
  const opened = new Map<number, { context: BrowserContext; page: Page }>()
  const jobTargets = jobs.map((job) => targets.filter((id) => job.ids.has(id)))

  /** The job's page, loaded and laid out with its faces and wide tables fitted. */
  const load = async (job: JobsInput['jobs'][number]): Promise<Page> => {
    const existing = opened.get(job.index)
    if (existing) return existing.page
    const browserContext = await input.browser.createBrowserContext()
    const page = await openLockedPage(browserContext, input.allow, input.onBlocked).catch(async (error: unknown) => {
      await browserContext.close().catch(() => undefined)
      throw error
    })
    opened.set(job.index, { context: browserContext, page })
    await page.goto(pathToFileURL(job.file).href, { waitUntil: 'load', timeout: 0 })
    await showWithFonts(page)
    context.signal?.throwIfAborted()
    const fitted = await fitWideContent(page, job.tree, book)
    if (fitted.shrunk > 0) progress(`wide tables in print job ${job.index + 1}: ${fitted.shrunk} set smaller, ${fitted.split} of them split by columns`)
    if (input.notePairs.length > 0) footnoteProgress(await layoutFootnotes(page, geometry), progress, job.index)
    return page
  }

  /**
   * Close a job's page once nothing more is asked of it, so the renderers
   * of printed jobs do not stay in memory through the others' prints and
   * the join. Asked again (a later attempt moved its pages), `load` opens
   * and lays it out afresh.
   */
  const release = async (job: JobsInput['jobs'][number]): Promise<void> => {
    const entry = opened.get(job.index)
    if (!entry) return
    opened.delete(job.index)
    await entry.context.close().catch(() => undefined)
  }

  try {
    // A job whose every part is remembered needs no layout to be planned; the first always has the front matter, never remembered.
    const remembered = await memory.lookup(parts.filter((part) => !part.front).map((part) => part.id))
    const known = new Set(jobs.filter((job) => job.parts.every((part) => remembered.has(part.id))).map((job) => job.index))
    const onScreen = new Map<string, MeasuredPart>()
    const measure = (list: JobsInput['jobs']) =>
      inPool(list, workers, async (job) => {
        const page = await load(job)
        // By id: the blank pages a plan inserted (no id) are not parts.
        for (const part of await measureParts(page, geometry, jobTargets[job.index]!)) if (job.ids.has(part.id)) onScreen.set(part.id, part)
      })
    await measure(jobs.filter((job) => !known.has(job.index)))
    let measured = await memory.recall(parts.map((part) => onScreen.get(part.id) ?? remembered.get(part.id)!))
    let plan = withLocators(planPages(parts, measured), input.indexLists)
    checkNotePages(input.notePairs, plan)
    progress(`paginated: ${plan.pages} pages in ${jobs.length} print jobs, ${workers} at a time${known.size > 0 ? ` (${known.size} not laid out: unchanged)` : ''}`)

    // Each job's print for its share of the plan, by the key of that share; a job whose share did not change is not printed again.
    const printed = new Map<number, { key: string; job: PrintedJob; fresh: boolean; parsed?: ParsedPdf }>()
    for (let attempt = 1; ; attempt++) {
      const starts = partStarts(parts, measured, plan)
      const shares = jobs.map((job) => jobShare(job, jobs[job.index + 1], parts, starts, plan))
      const wrong: string[] = []
      const counts = new Map<number, number>()
      const printedAt = new Map<string, number>()
      await inPool(jobs, workers, async (job) => {
        const share = shares[job.index]!
        const key = cacheKey(KIND, job.html, JSON.stringify(share.key), variant, input.pageStarts ? 'starts' : '', ...input.layout)
        const before = printed.get(job.index)
        const hit = before?.key === key ? before.job : await cache.get<PrintedJob>(KIND, key)
        if (hit && (variant === 'print' || hit.screen)) {
          if (before?.key !== key) printed.set(job.index, { key, job: hit, fresh: false })
          // Checked when it was printed, for this very share of the plan.
          for (const id of jobTargets[job.index]!) printedAt.set(id, plan.physical.get(id)!)
          counts.set(job.index, share.pages)
          // A job printed fresh by an earlier attempt keeps its page, laid out to this plan, for its print-on-demand variant.
          if (variant === 'screen' || !printed.get(job.index)!.fresh) await release(job)
          return
        }
        const page = await load(job)
        await applyPlan(page, share.plan, share.job)
        await settleFonts(page)
        context.signal?.throwIfAborted()
        progress(`printing job ${job.index + 1} of ${jobs.length}${attempt > 1 ? ' (again)' : ''}`)
        // Printed with its links either way: the destinations are how the plan is checked.
        const screen = await printOnly(page, { preferCSSPageSize: true, printBackground: true, outline: variant !== 'print', tagged: variant !== 'print', timeout: 0 })
        const count = pageCount(screen)
        counts.set(job.index, count)
        // Parsed once: for the check, and for the join unless the job is printed again.
        const parsed = await parsePdf(screen)
        const destinations = await readDestinations(parsed)
        for (const [call, page] of await printedCalls(parsed, input.notePairs)) destinations.set(call, page)
        const own: string[] = []
        for (const id of jobTargets[job.index]!) {
          const local = destinations.get(id)
          if (local !== undefined) printedAt.set(id, share.start + local - 1)
          if (local === undefined || share.start + local - 1 !== plan.physical.get(id)) own.push(id)
        }
        if (count !== share.pages) own.push(`${job.parts.at(-1)!.id} (print job ${job.index + 1} came out ${count} pages long, planned ${share.pages})`)
        wrong.push(...own)
        // A job that differs from the plan is printed again whatever its key.
        const starts = own.length === 0 && input.pageStarts ? await capturePageStarts(page, geometry) : undefined
        if (own.length === 0) printed.set(job.index, { key, job: { ...(variant === 'print' ? {} : { screen }), ...(starts ? { starts } : {}) }, fresh: true, parsed })
        else printed.delete(job.index)
        // The print-on-demand variant is printed from the page later, once every job is checked.
        if (own.length === 0 && variant === 'screen') await release(job)
      })
      if (wrong.length === 0) break
      if (attempt === MAX_PRINTS) throw new Error(`The PDF's pages still differ from the plan after ${attempt} prints (first: #${wrong[0]}). Please report this with the manuscript`)
      progress(`printed pages differ from the plan at #${wrong[0]}: printing again`)
      if (attempt === 1) {
        // A wrong remembered length is not corrected from, the screen's measurements are: so the jobs planned from memory are measured now.
        await measure(jobs.filter((job) => known.has(job.index)))
        measured = parts.map((part) => onScreen.get(part.id)!)
      }
      measured = correctJobs(parts, jobs, measured, plan, printedAt, counts, shares)
      plan = withLocators(planPages(parts, measured), input.indexLists)
      checkNotePages(input.notePairs, plan)
    }
    // The print-on-demand pages once every job is checked: printing them takes the links out of the page.
    await inPool(jobs.filter((job) => printed.get(job.index)!.fresh), workers, async (job) => {
      const entry = printed.get(job.index)!
      if (variant !== 'screen') entry.job.bare = await printBare(opened.get(job.index)!.page)
      await release(job)
      await cache.set(KIND, entry.key, entry.job)
    })
    await cache.prune(KIND)
    const inOrder = jobs.map((job) => printed.get(job.index)!)
    progress(`joining ${jobs.length} print jobs`)
    const result: JobsResult = { plan, measured, starts: inOrder.flatMap((entry) => entry.job.starts ?? []) }
    if (variant !== 'print') result.screen = await joinPdfs(inOrder.map((entry) => entry.parsed ?? entry.job.screen!), { screen: true })
    if (variant !== 'screen') result.bare = await joinPdfs(inOrder.map((entry) => entry.job.bare!), { screen: false })
    return result
  } finally {
    await Promise.all([...opened.values()].map(({ context: browserContext }) => browserContext.close().catch(() => undefined)))
  }
}

/** A job's share of the plan. */
interface Share {
  /** Physical page of its first page. */
  start: number
  /** Its length in pages, a closing blank included. */
  pages: number
  plan: PagePlan
  job: JobPlan
  /** What its print depends on besides its document. */
  key: unknown
}

function jobShare(job: PrintJob, next: PrintJob | undefined, parts: PrintPart[], starts: Map<string, number>, plan: PagePlan): Share {
  const own = new Set(job.parts.map((part) => part.id))
  const start = starts.get(job.parts[0]!.id)!
  const end = next ? starts.get(next.parts[0]!.id)! - 1 : plan.pages
  const blanks = plan.blanks.filter((blank) => own.has(blank.before) && blank.before !== job.parts[0]!.id)
  const closing = next && plan.blanks.find((blank) => blank.before === next.parts[0]!.id)
  const jobPlan: JobPlan = {}
  if (closing) jobPlan.end = { front: closing.front }
  // Page 1 of a later job shows the folio of its physical page: the body's count goes on from the job before.
  if (job.index > 0) jobPlan.style = folioStyle(job.parts[0]!, bodyFolio(parts, starts, start))
  // The page numbers the job shows: the contents' (in the first), the {.page} links' and the index's in it.
  const folios = new Map([...plan.folios].filter(([id]) => job.slots.has(id)))
  const locators = new Map([...(plan.locators ?? [])].filter(([id]) => job.lists.has(id)))
  return { start, pages: end - start + 1, plan: { ...plan, blanks, folios, locators }, job: jobPlan, key: { blanks, folios: [...folios], locators: [...locators], job: jobPlan, pages: end - start + 1 } }
}

/**
 * Measurements corrected from the jobs' prints: within a job as for the
 * whole book (paginate.ts), and the last part of a job that came out
 * longer or shorter than planned from the job's page count.
 */
function correctJobs(parts: PrintPart[], jobs: PrintJob[], measured: MeasuredPart[], plan: PagePlan, printedAt: Map<string, number>, counts: Map<number, number>, shares: Share[]): MeasuredPart[] {
  const corrected = correctMeasurements(parts, measured, plan, printedAt)
  const byId = new Map(corrected.map((part) => [part.id, part]))
  for (const job of jobs) {
    const share = shares[job.index]!
    const count = counts.get(job.index)
    const last = job.parts.at(-1)!
    const entry = byId.get(last.id)!
    const first = Object.entries(entry.offsets).find(([, offset]) => offset === 0)?.[0]
    const begins = first === undefined ? undefined : printedAt.get(first)
    if (count === undefined || count === share.pages || begins === undefined || last.front) continue
    entry.pages = share.start + count - begins - (share.job.end ? 1 : 0)
  }
  return corrected
}

/** The same pages with no links (for print-on-demand): no bookmarks or tags either. */
async function printBare(page: Page): Promise<Uint8Array> {
  await page.evaluate(`for (const link of document.querySelectorAll('a[href]')) link.removeAttribute('href')`)
  return printOnly(page, { preferCSSPageSize: true, printBackground: true, outline: false, tagged: false, timeout: 0 })
}

/** Run `task` on every item, at most `size` at a time; the first failure rejects once all running ones settle. */
async function inPool<T>(items: T[], size: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed: unknown
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!
      try {
        await task(item)
      } catch (error) {
        failed ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker))
  if (failed !== undefined) throw failed
}
