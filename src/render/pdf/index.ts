/**
 * The print edition: one HTML document (print-document.ts), laid out by
 * Chromium with `styles/print.css` and the generated page rules, paginated
 * before printing (paginate.ts), printed once with `page.pdf()`, checked
 * against the printed PDF's own destinations, and stamped with the book's
 * metadata and fixed dates (pdf-file.ts). A long book is cut at chapter
 * boundaries into print jobs (jobs.ts) laid out, checked and printed side
 * by side, kept in the cache, and joined (print-jobs.ts, join.ts).
 *
 * The page runs no script of its own and may read only the print document,
 * Quire's styles, the shipped fonts and the manuscript's files; any other
 * request is aborted and fails the build, naming the URL.
 */
import { realpathSync } from 'node:fs'
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { toHtml } from 'hast-util-to-html'
import { h } from 'hastscript'
import type { Page } from 'puppeteer'
import { openLockedPage } from '../../browser/session.ts'
import { HOLD_STYLE, settleFonts, showWithFonts } from '../../browser/fonts.ts'
import { fontFilesDir, textFontBundle, type FontFamily } from '../../fonts/bundle.ts'
import { bookFonts, fontStack, printFamilies } from '../../fonts/families.ts'
import { drawableText } from '../../fonts/coverage.ts'
import { isInside } from '../../manuscript/inside.ts'
import type { Book } from '../../model/types.ts'
import { STYLES_DIR } from '../../files/paths.ts'
import type { RenderContext, Renderer } from '../types.ts'
import { boxMissingGlyphs } from './glyphs.ts'
import { hyphenateTree } from './hyphenate.ts'
import { embedFontsInSvgImages } from './svg-fonts.ts'
import { pageGeometry, pageStyles, type PageGeometry } from './page-styles.ts'
import { applyPlan, correctMeasurements, measureParts, measureStyles, planPages, type PagePlan } from './paginate.ts'
import { measureMemory } from './measure-memory.ts'
import { bookInfo, pageCount, parsePdf, readDestinations, writeInfo, type PdfInfo } from './pdf-file.ts'
import { dropBacklinks, printDocument } from './print-document.ts'
import { jobCount, jobDocuments, splitParts } from './jobs.ts'
import { printJobs } from './print-jobs.ts'
import { fitWideContent } from './fit-wide.ts'
import { printOnly } from './print-only.ts'
import { withLocators } from '../book-index.ts'
import { capturePageStarts, printedPages } from './page-starts.ts'
import { checkNotePages, FOOTNOTE_SCRIPT, footnoteProgress, layoutFootnotes, printedCalls } from './footnotes.ts'
import { renderForStore, type PrintedInterior } from './store-files.ts'

/** How many times to print when the printed pages disagree with the plan (it has not happened yet; once is the rule). */
const MAX_PRINTS = 4

export const pdfRenderer: Renderer = {
  format: 'pdf',
  async render(book, context) {
    if (!context.browser) throw new Error('The PDF needs a browser session')
    if (!context.cacheDir) throw new Error('The PDF needs a cache folder for its print document')
    if (book.config.print.preset) return await renderForStore(book, context, book.config.print.preset, printInterior)
    const { files } = await printInterior(book, context, pageGeometry(book.config.trim, book.config.print))
    return files.length === 1 ? files[0]! : files
  },
}

/** The PDF files of the interior, laid out on `geometry`, and its page count. */
async function printInterior(book: Book, context: RenderContext, geometry: PageGeometry): Promise<PrintedInterior> {
  const progress = context.onProgress ?? (() => {})
  const { config } = book
  if (!context.browser || !context.cacheDir) throw new Error('The PDF needs a browser session and a cache folder')
  const fonts = bookFonts(config)
  const families = printFamilies(fonts)
  const stacks = { body: fontStack(fonts.body), headings: fontStack(fonts.headings), mono: fontStack(fonts.mono) }
  const document = printDocument(book, fonts)
  // Fonts, then the house style, then the page rules this book needs.
  const fontStyles = h('style', families.map((font) => textFontBundle(`${pathToFileURL(fontFilesDir(font)).href}/`, undefined, font).css).join('\n'))
  const bookPageStyles = h('style', pageStyles(geometry, document.parts, drawableText(config.title, fonts), stacks))
  document.head.children.push(
    // Not laid out before its faces are loaded (`showWithFonts`).
    h('style', { id: HOLD_STYLE.id }, HOLD_STYLE.css),
    fontStyles,
    h('link', { rel: 'stylesheet', href: pathToFileURL(path.join(STYLES_DIR, 'print.css')).href }),
    bookPageStyles,
    h('style', measureStyles(geometry)),
  )
  const htmlPath = path.join(context.cacheDir, 'pdf', `${config.slug}.print.html`)
  await mkdir(path.dirname(htmlPath), { recursive: true })
  const allowed = await allowedRoots(config.root, htmlPath, families)
  dropBacklinks(document.tree)
  embedFontsInSvgImages(document.tree, (url) => isAllowed(url, allowed))
  boxMissingGlyphs(document.body, fonts)
  hyphenateTree(document.body, config.language)
  await writeFile(htmlPath, toHtml(document.tree))
  progress('print document written')

  const blocked: string[] = []
  const browser = await context.browser.browser()
  const partElements = new Map(document.body.children.flatMap((node) => (node.type === 'element' ? [[String(node.properties.id), node] as const] : [])))
  // What lays a part out besides its markup: the fonts, styles, page size, language and browser.
  // Not the page rules: running heads and folios sit in the margins, so a new book title keeps every part's length.
  const layout = [toHtml(fontStyles), await readFile(path.join(STYLES_DIR, 'print.css'), 'utf8'), JSON.stringify(geometry), config.language, await browser.version(), ...(document.notePairs.length > 0 ? [FOOTNOTE_SCRIPT] : [])]
  const memory = measureMemory(context.reuse === false ? undefined : context.cacheDir, partElements, layout)
  const info = { ...bookInfo(config), pageSize: geometry.points }
  const variant = config.pdf.variant
  // The plan beside the print document: with it, the benchmark prints exactly what Quire printed.
  const writePlan = (plan: PagePlan) => writeFile(htmlPath.replace(/\.print\.html$/, '.plan.json'), JSON.stringify({ pages: plan.pages, blanks: plan.blanks, folios: [...plan.folios] }) + '\n')

  const jobs = jobCount(document.parts, partElements)
  if (jobs > 1) {
    // The same document cut into jobs printed side by side (print-jobs.ts): each job's page rules only for its own parts.
    const head = document.head.children.filter((node) => node !== bookPageStyles)
    const split = jobDocuments(head, splitParts(document.parts, partElements, jobs), partElements, (parts) => pageStyles(geometry, parts, drawableText(config.title, fonts), stacks), config.language)
    const files = await Promise.all(
      split.map(async (job) => {
        const file = htmlPath.replace(/\.print\.html$/, `.job-${job.index + 1}.html`)
        await writeFile(file, job.html)
        allowed.files.push(path.join(await realpath(path.dirname(file)), path.basename(file)))
        return { ...job, file }
      }),
    )
    progress(`print documents written: ${jobs} print jobs`)
    const printed = await printJobs({
      book,
      browser,
      jobs: files,
      parts: document.parts,
      targets: document.targets,
      notePairs: document.notePairs,
      indexLists: document.indexLists,
      pageStarts: Boolean(config.printIsbn && context.onPrintedPages),
      geometry,
      memory,
      layout,
      variant,
      allow: (url) => isAllowed(url, allowed),
      onBlocked: (url) => blocked.push(url),
      context,
    })
    if (blocked.length > 0) throw blockedError(blocked)
    if (config.printIsbn && context.onPrintedPages) context.onPrintedPages(printedPages(document.parts, printed.measured, printed.plan, printed.starts))
    // Every body part's length is confirmed: each job's print was checked to its last page.
    await memory.remember(printed.measured.filter((part) => !document.parts.find((candidate) => candidate.id === part.id)!.front))
    await writePlan(printed.plan)
    return editions(config.slug, info, printed.plan.pages, printed.screen, printed.bare, progress)
  }

  const page = await openLockedPage(browser, (url) => isAllowed(url, allowed), (url) => blocked.push(url))
  try {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load', timeout: 0 })
    await showWithFonts(page)
    context.signal?.throwIfAborted()
    // Before measuring: what it changes (smaller type, tables split by columns) is what gets measured and printed.
    const fitted = await fitWideContent(page, document.tree, book)
    if (fitted.shrunk > 0) progress(`wide tables: ${fitted.shrunk} set smaller, ${fitted.split} of them split by columns`)
    if (document.notePairs.length > 0) footnoteProgress(await layoutFootnotes(page, geometry), progress)

    let onScreen = await measureParts(page, geometry, document.targets)
    let measured = await memory.recall(onScreen)
    let plan = withLocators(planPages(document.parts, measured), document.indexLists)
    checkNotePages(document.notePairs, plan)
    progress(`paginated: ${plan.pages} pages`)
    let screen: Uint8Array | undefined
    for (let attempt = 1; ; attempt++) {
      await applyPlan(page, plan)
      if (document.fillsText) {
        // Page numbers in the text ({.page} links, the index) change its length: measured again until the plan holds.
        for (let round = 0; round < MAX_PRINTS; round++) {
          const again = await measureParts(page, geometry, document.targets)
          const next = withLocators(planPages(document.parts, again), document.indexLists)
          if (samePages(next, plan)) break
          onScreen = again
          measured = again
          plan = next
          checkNotePages(document.notePairs, plan)
          await applyPlan(page, plan)
        }
      }
      // Blank pages and folios use faces already loaded; if one was not, lay out again as after loading.
      await settleFonts(page)
      // Printed with its links either way: the destinations are how the plan is checked.
      screen = await print(page, variant !== 'print', context)
      const parsed = await parsePdf(screen)
      const printed = await readDestinations(parsed)
      for (const [call, page] of await printedCalls(parsed, document.notePairs)) printed.set(call, page)
      const wrong = document.targets.filter((id) => printed.get(id) !== plan.physical.get(id))
      if (wrong.length === 0) break
      if (attempt === MAX_PRINTS) throw new Error(`The PDF's pages still differ from the plan after ${attempt} prints (first: #${wrong[0]} on page ${printed.get(wrong[0]!)}, planned ${plan.physical.get(wrong[0]!)}). Please report this with the manuscript`)
      progress(`printed pages differ from the plan at #${wrong[0]}: printing again`)
      // A wrong remembered length is not corrected from: the screen's measurements are.
      measured = correctMeasurements(document.parts, attempt === 1 ? onScreen : measured, plan, printed)
      plan = withLocators(planPages(document.parts, measured), document.indexLists)
      checkNotePages(document.notePairs, plan)
    }
    if (blocked.length > 0) throw blockedError(blocked)
    // Where each printed page begins, for the EPUB's page list: read from the layout that printed.
    if (config.printIsbn && context.onPrintedPages) context.onPrintedPages(printedPages(document.parts, measured, plan, await capturePageStarts(page, geometry)))
    // Confirmed by the print: each body part's length, by where the next one began. The last one's is not.
    const confirmed = new Set(document.parts.filter((part) => !part.front).slice(0, -1).map((part) => part.id))
    await memory.remember(measured.filter((part) => confirmed.has(part.id)))
    await writePlan(plan)

    let bare: Uint8Array | undefined
    if (variant !== 'screen') {
      // For print-on-demand: the same pages with no links, bookmarks or tags.
      await page.evaluate(`for (const link of document.querySelectorAll('a[href]')) link.removeAttribute('href')`)
      bare = await print(page, false, context, false)
    }
    return editions(config.slug, info, plan.pages, variant === 'print' ? undefined : screen, bare, progress)
  } finally {
    await page.close().catch(() => undefined)
  }
}

/** The PDF files of the edition, stamped with the book's information. */
function editions(slug: string, info: PdfInfo, pages: number, screen: Uint8Array | undefined, bare: Uint8Array | undefined, progress: (step: string) => void): PrintedInterior {
  const files: PrintedInterior['files'] = []
  if (screen) files.push({ kind: 'file', path: `${slug}.pdf`, content: writeInfo(screen, info) })
  if (bare) {
    // No links are left to check it by, so at least its length must be the checked one's.
    const count = pageCount(bare)
    if (count !== pages) throw new Error(`The print-on-demand PDF came out with ${count} pages where the checked one has ${pages}; its page numbers cannot be trusted. Please report this with the manuscript`)
    files.push({ kind: 'file', path: `${slug}-print.pdf`, content: writeInfo(bare, info) })
  }
  progress(`${pages} pages`)
  return { files, pages }
}

async function print(page: Page, screen: boolean, context: RenderContext, links = true): Promise<Uint8Array> {
  context.signal?.throwIfAborted()
  context.onProgress?.(screen ? 'printing' : links ? 'printing (checking pages)' : 'printing the print-on-demand file')
  return printOnly(page, { preferCSSPageSize: true, printBackground: true, outline: screen, tagged: screen, timeout: 0 })
}

/** What the print page may read: these folders and the print document, symlinks resolved. */
interface Allowed {
  dirs: string[]
  files: string[]
  /** Resolved paths, for this render only: a file may become a symlink before the next build. */
  realpaths: Map<string, string>
}

/** The folders the print page may read, symlinks resolved. */
async function allowedRoots(manuscript: string, htmlPath: string, families: FontFamily[]): Promise<Allowed> {
  const dirs = await Promise.all([manuscript, STYLES_DIR, ...families.map(fontFilesDir)].map((dir) => realpath(dir)))
  // The document is written later; its folder exists already.
  const document = path.join(await realpath(path.dirname(htmlPath)), path.basename(htmlPath))
  return { dirs, files: [document], realpaths: new Map() }
}

function isAllowed(url: string, allowed: Allowed): boolean {
  if (!url.startsWith('file:')) return false
  let file: string
  try {
    file = fileURLToPath(url)
  } catch {
    return false
  }
  // Resolved synchronously: the decision must be made before the request continues.
  let real = allowed.realpaths.get(file)
  if (real === undefined) {
    try {
      real = realpathSync(file)
    } catch {
      return false
    }
    allowed.realpaths.set(file, real)
  }
  return allowed.files.includes(real) || allowed.dirs.some((dir) => isInside(dir, real))
}

function blockedError(urls: string[]): Error {
  const shown = [...new Set(urls)].slice(0, 5).join(', ')
  return new Error(`The print page asked for ${shown}, outside the manuscript, Quire's styles and its fonts; the request was blocked and no PDF was written. Refer to images by a relative path inside the manuscript folder`)
}

/** Whether two plans put every target and the end on the same pages. */
function samePages(a: PagePlan, b: PagePlan): boolean {
  return a.pages === b.pages && a.physical.size === b.physical.size && [...a.physical].every(([id, page]) => b.physical.get(id) === page)
}
