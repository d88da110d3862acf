/**
 * What each feature of Quire's print document costs to print. Takes the
 * print document and plan a `quire build --format pdf` left in its cache,
 * makes one variant per factor (the factor removed or simplified), and
 * prints each with a plain `page.pdf()` as `bench/floor.ts` does, rounds
 * interleaved with the unchanged document, so that a noisy machine slows
 * the baseline and the variants alike. Pandoc's HTML of the same book is
 * printed the same way as the reference.
 *
 *   node --import tsx bench/print-cost.ts --out DIR [--book DIR] [--runs 3] [--only a,b] [--layout] [--plain] [--together] [--json FILE]
 *
 * `--together` prints each variant and a baseline at the same moment in
 * two browsers, so load from elsewhere on the machine falls on both alike
 * (the ratios hold better on a busy machine; the absolute times are
 * those of two prints sharing it).
 * `--plain` prints everything without tags or outline (the options of
 * the print-on-demand file) instead of Quire's screen-edition options.
 * `--out` is the build's output folder (its `.cache/pdf` holds the
 * document); `--book` the manuscript, for pandoc's HTML (skipped without
 * it or without pandoc). `--layout` also prints only the first page of
 * each, on a fresh page: Chromium still lays the whole document out for
 * print, so that time is the print layout, and the rest of a full print
 * is painting and writing the pages. See docs/print-cost.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import type { Browser, Page, PDFOptions } from 'puppeteer'
import { createBrowserSession, openLockedPage } from '../src/browser/session.ts'
import { showWithFonts } from '../src/browser/fonts.ts'
import { applyPlan, type PagePlan } from '../src/render/pdf/paginate.ts'
import { pageCount } from '../src/render/pdf/pdf-file.ts'
import { STYLES_DIR } from '../src/files/paths.ts'
import { cpuTime } from './cpu-time.ts'
import { findPandoc, toPandoc } from './pandoc.ts'

/** One way to change the print document: its markup, its house style (print.css), CSS added last, or the print options. */
interface Variant {
  name: string
  what: string
  html?: (html: string) => string
  css?: (css: string) => string
  extra?: string
  options?: Partial<PDFOptions>
}

/** The options Quire prints the checked, linked edition with (src/render/pdf/index.ts). */
const QUIRE_OPTIONS: PDFOptions = { preferCSSPageSize: true, printBackground: true, outline: true, tagged: true, timeout: 0 }
/** The options of its print-on-demand file and its checking print: no tags, no outline. */
const PLAIN_OPTIONS: PDFOptions = { ...QUIRE_OPTIONS, outline: false, tagged: false }

const MARGIN_BOX = /@(?:top|bottom|left|right)-[a-z-]+\s*\{[^{}]*\}/g
const FONT_FACE = /(?:\/\* [^*]+ \*\/\s*)?@font-face\s*\{[^{}]*\}\s*/g
/** The generated per-part page rules, in the document's page style. */
const PART_PAGE_RULES = /@counter-style quire-rh-[^{]+\{[^{}]*\}|@page (?:ch|back)-\d+(?::right)? \{(?:[^{}]|\{[^{}]*\})*\}/g

const VARIANTS: Variant[] = [
  { name: 'baseline', what: 'the print document as Quire prints it' },
  { name: 'no-tagged', what: 'tagged: false', options: { tagged: false } },
  { name: 'no-outline', what: 'outline: false', options: { outline: false } },
  { name: 'no-tagged-outline', what: 'tagged and outline false (the print-on-demand file)', options: { tagged: false, outline: false } },
  { name: 'no-margin-boxes', what: 'no @page margin boxes (no running heads, no folios)', html: (html) => html.replace(MARGIN_BOX, ''), css: (css) => css.replace(MARGIN_BOX, '') },
  { name: 'no-running-heads', what: 'folios kept, no running heads (@top-center)', extra: '@page { @top-center { content: none !important } } @page :left { @top-center { content: none !important } }' },
  { name: 'no-named-pages', what: 'one anonymous page sequence (page: auto)', extra: 'body > .part { page: auto !important }' },
  { name: 'no-part-page-rules', what: 'the per-part @counter-style and @page rules removed (parts still named)', html: (html) => html.replace(PART_PAGE_RULES, '') },
  { name: 'no-soft-hyphens', what: 'soft hyphens stripped', html: (html) => html.replaceAll('\u00ad', '') },
  { name: 'literata-latin', what: 'Literata latin subsets only, no unicode-range; no Korean or mono faces', html: (html) => html.replace(FONT_FACE, (rule) => (/literata-latin-\d/.test(rule) ? rule.replace(/unicode-range:[^;]*;/, '') : '')) },
  { name: 'no-korean-faces', what: 'the 190 Gowun Batang faces removed (Korean falls back)', html: (html) => html.replace(FONT_FACE, (rule) => (/gowun-batang/.test(rule) ? '' : rule)) },
  { name: 'no-font-faces', what: 'no @font-face at all (system serif)', html: (html) => html.replace(FONT_FACE, '') },
  { name: 'no-overflow-clip', what: '.part without overflow-x: clip', css: (css) => css.replace('@media print { .part { overflow-x: clip; } }', '') },
  { name: 'no-part-breaks', what: 'parts flattened: one flow, no page breaks, names or clip', extra: 'body > .part { break-before: auto !important; page: auto !important; overflow-x: visible !important }' },
  { name: 'no-measure-styles', what: 'the screen-only measuring columns removed', html: (html) => html.replace(/<style>@media screen \{ body > \.part \{[^<]*<\/style>/, '') },
  { name: 'hide-screen', what: 'screen layout hidden before printing (nothing to lay out again after it)', extra: '@media screen { html { display: none !important } }' },
  { name: 'no-justify', what: 'text-align: left instead of justify', extra: 'p { text-align: left !important }' },
  { name: 'no-widows-orphans', what: 'widows and orphans 1', extra: '* { widows: 1 !important; orphans: 1 !important }' },
  { name: 'no-break-avoid', what: 'no break-inside/after avoid', extra: '* { break-inside: auto !important; break-after: auto !important }' },
  { name: 'no-kerning-ligatures', what: 'font-kerning and ligatures off', extra: 'html { font-kerning: none !important; font-variant-ligatures: none !important }' },
  { name: 'no-small-caps', what: 'datelines without all-small-caps', extra: '.dateline { font-variant-caps: normal !important }' },
  { name: 'no-links', what: 'no href on any link (no annotations or destinations)', html: (html) => html.replace(/(<a\b[^>]*?) href="[^"]*"/g, '$1') },
  { name: 'no-noteref-sup', what: 'note calls not raised (vertical-align, line-height 0)', extra: '.noteref, sup { vertical-align: baseline !important; line-height: inherit !important }' },
]

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    book: { type: 'string' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    layout: { type: 'boolean', default: false },
    json: { type: 'string' },
    plain: { type: 'boolean', default: false },
    together: { type: 'boolean', default: false },
  },
})
const baseOptions = values.plain ? PLAIN_OPTIONS : QUIRE_OPTIONS
if (!values.out) throw new Error('Usage: bench/print-cost.ts --out BUILD_OUT [--book MANUSCRIPT] [--runs 3] [--only a,b] [--layout] [--plain] [--together] [--json FILE]')
const cacheDir = path.join(path.resolve(values.out), '.cache', 'pdf')
const slug = (await readdir(cacheDir)).find((name) => name.endsWith('.print.html'))?.replace(/\.print\.html$/, '')
if (!slug) throw new Error(`No print document in ${cacheDir}: build the book with --format pdf first`)
const runs = Number(values.runs)
const only = values.only?.split(',')
const variants = VARIANTS.filter((variant) => variant.name === 'baseline' || !only || only.includes(variant.name))
const source = await readFile(path.join(cacheDir, `${slug}.print.html`), 'utf8')
const printCss = await readFile(path.join(STYLES_DIR, 'print.css'), 'utf8')
const saved = JSON.parse(await readFile(path.join(cacheDir, `${slug}.plan.json`), 'utf8')) as { blanks: PagePlan['blanks']; folios: [string, string][] }
const plan: PagePlan = { blanks: saved.blanks, folios: new Map(saved.folios), physical: new Map(), pages: 0 }

// Each variant as a file beside the original, so relative references resolve the same.
const workDir = path.join(cacheDir, 'cost')
await mkdir(workDir, { recursive: true })
const files = new Map<string, string>()
for (const variant of variants) {
  let html = variant.html ? variant.html(source) : source
  if (variant.css) {
    const cssFile = path.join(workDir, `${variant.name}.print.css`)
    await writeFile(cssFile, variant.css(printCss))
    html = html.replace(`href="${pathToFileURL(path.join(STYLES_DIR, 'print.css')).href}"`, `href="${pathToFileURL(cssFile).href}"`)
  }
  if (variant.extra) html = html.replace('</head>', `<style>${variant.extra}</style></head>`)
  if (variant.name !== 'baseline' && html === source && !variant.options) throw new Error(`Variant ${variant.name} changed nothing`)
  const file = path.join(workDir, `${variant.name}.print.html`)
  await writeFile(file, html)
  files.set(variant.name, file)
}

// Pandoc's HTML of the same manuscript: the reference.
let pandocHtml: string | undefined
if (values.book && findPandoc()) {
  const target = path.join(workDir, 'pandoc')
  const converted = await toPandoc(path.resolve(values.book), target)
  execFileSync('pandoc', ['--citeproc', '--bibliography', 'references.json', '--standalone', '--metadata', `title=${converted.title}`, '-o', 'book.html', ...converted.chapters], { cwd: target, stdio: 'ignore' })
  pandocHtml = path.join(target, 'book.html')
}

interface Sample {
  /** Load, fonts and plan, up to the print. */
  prepare: number
  /** `page.pdf()` of every page: wall time. */
  print: number
  /** The CPU time the browser's processes spent in it. */
  cpu: number
  pages: number
  /** `page.pdf()` of the first page only, on a fresh page (with --layout): CPU time. */
  layout?: number
}

/** Load a document as the floor does, up to the print: a page ready to print, and how long that took. */
async function prepare(browser: Browser, file: string, quire: boolean): Promise<{ page: Page; prepare: number }> {
  const page = await openLockedPage(browser, () => true)
  const started = performance.now()
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 0 })
  if (quire) {
    // Faces loaded and the hold removed as Quire does, then the plan.
    await showWithFonts(page)
    await applyPlan(page, plan)
  }
  // The screen layout done, fonts settled: what follows is printing alone.
  await page.evaluate(`(async () => { void document.body.offsetHeight; await document.fonts.ready; void document.body.offsetHeight })()`)
  return { page, prepare: performance.now() - started }
}

/** Print a prepared page once, timed, and close it. */
async function print(browser: Browser, ready: { page: Page; prepare: number }, options: PDFOptions): Promise<Omit<Sample, 'layout'>> {
  try {
    const pid = browser.process()!.pid!
    const cpu = cpuTime(pid)
    const started = performance.now()
    const printed = await ready.page.pdf(options)
    const print = performance.now() - started
    return { prepare: ready.prepare, print, cpu: cpuTime(pid) - cpu, pages: pageCount(printed) }
  } finally {
    await ready.page.close()
  }
}

interface Job {
  file: string
  quire: boolean
  options: PDFOptions
}

/**
 * Print each job, the first in the first browser and so on; with several,
 * all are loaded first and then printed at the same moment, so that what
 * else the machine runs slows them alike.
 */
async function sample(browsers: Browser[], jobs: Job[]): Promise<Sample[]> {
  const run = async (options: (job: Job) => PDFOptions) => {
    const ready = await Promise.all(jobs.map((job, index) => prepare(browsers[index]!, job.file, job.quire)))
    return Promise.all(jobs.map((job, index) => print(browsers[index]!, ready[index]!, options(job))))
  }
  const full = await run((job) => job.options)
  if (!values.layout) return full
  const first = await run((job) => ({ ...job.options, pageRanges: '1' }))
  return full.map((value, index) => ({ ...value, layout: first[index]!.cpu }))
}

const results = new Map<string, Sample[]>()
/** Each variant's CPU per page over that of the baseline printed just before it. */
const paired = new Map<string, number[]>()
const record = (name: string, value: Sample) => results.set(name, [...(results.get(name) ?? []), value])
const cpuPerPage = (value: Sample) => value.cpu / value.pages
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const sessions = values.together ? [createBrowserSession(), createBrowserSession()] : [createBrowserSession()]
const show = (round: number, name: string, value: Sample) =>
  console.error(`round ${round + 1} ${name.padEnd(22)} ${value.pages} pages  print ${(value.print / 1000).toFixed(2)} s, CPU ${(value.cpu / 1000).toFixed(2)} s${value.layout === undefined ? '' : `  first page CPU ${(value.layout / 1000).toFixed(2)} s`}`)
/** Print the baseline and another document, side by side (`--together`) or the baseline first; record both and their ratio. */
const pair = async (browsers: Browser[], round: number, name: string, other: Job) => {
  const baseline: Job = { file: files.get('baseline')!, quire: true, options: baseOptions }
  let before: Sample
  let value: Sample
  if (browsers.length > 1) {
    // Each browser takes each side in turn.
    const swap = round % 2 === 1
    const both = await sample(swap ? [browsers[1]!, browsers[0]!] : browsers, [baseline, other])
    ;[before, value] = both as [Sample, Sample]
  } else {
    ;[before] = (await sample(browsers, [baseline])) as [Sample]
    ;[value] = (await sample(browsers, [other])) as [Sample]
  }
  record('baseline', before)
  record(name, value)
  paired.set(name, [...(paired.get(name) ?? []), cpuPerPage(value) / cpuPerPage(before)])
  show(round, 'baseline', before)
  show(round, name, value)
}
try {
  const browsers = await Promise.all(sessions.map((session) => session.browser()))
  console.error(`${slug}: ${variants.length} variants, ${runs} rounds, ${values.plain ? 'untagged, no outline' : 'tagged, with outline'}${pandocHtml ? ', pandoc' : ''}${values.together ? ', two at a time' : ''}; ${await browsers[0]!.version()}`)
  for (let round = 0; round < runs; round++) {
    // The baseline beside every variant: each variant has a baseline measured with it.
    for (const variant of variants) {
      if (variant.name === 'baseline') continue
      await pair(browsers, round, variant.name, { file: files.get(variant.name)!, quire: true, options: { ...baseOptions, ...variant.options } })
    }
    if (pandocHtml) {
      await pair(browsers, round, 'pandoc', { file: pandocHtml, quire: false, options: baseOptions })
      await pair(browsers, round, 'pandoc-other-options', { file: pandocHtml, quire: false, options: values.plain ? QUIRE_OPTIONS : PLAIN_OPTIONS })
    }
  }
} finally {
  await Promise.all(sessions.map((session) => session.close()))
}

// Per page: CPU time over the pages printed (and wall time, which a busy machine stretches).
// Ratios: the median of each variant's ratio to the baseline printed with it, so a machine that gets busier during the run moves neither.
const perPage = (list: Sample[], key: 'cpu' | 'print' = 'cpu') => median(list.map((each) => each[key] / each.pages))
const base = perPage(results.get('baseline')!)
const ratioOf = (name: string) => (name === 'baseline' ? 1 : median(paired.get(name)!))
const reference = results.has('pandoc') ? ratioOf('pandoc') : undefined
const rows = [...results].map(([name, list]) => {
  const ms = perPage(list)
  const ratio = ratioOf(name)
  const layout = list[0]!.layout === undefined ? undefined : median(list.map((each) => each.layout!))
  return {
    name,
    what: name === 'pandoc' ? "pandoc's standalone HTML of the same book, same options" : name === 'pandoc-other-options' ? `pandoc's HTML ${values.plain ? 'tagged, with outline' : 'without tags or outline'}` : variants.find((variant) => variant.name === name)!.what,
    pages: median(list.map((each) => each.pages)),
    printMs: median(list.map((each) => each.print)),
    cpuMs: median(list.map((each) => each.cpu)),
    msPerPage: ms,
    wallMsPerPage: perPage(list, 'print'),
    ratio,
    pandocRatio: reference === undefined ? undefined : ratio / reference,
    layoutMs: layout,
    prepareMs: median(list.map((each) => each.prepare)),
    runs: list.map((each) => ({ wall: Math.round(each.print), cpu: Math.round(each.cpu) })),
  }
})
console.log(`baseline: ${base.toFixed(1)} CPU ms a page (median of ${results.get('baseline')!.length} prints)`)
console.log('| factor | pages | CPU ms/page | × baseline (paired) | × pandoc | wall ms/page | first page only, CPU s | load s |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
for (const row of rows) {
  const cells = [
    `${row.name} (${row.what})`,
    String(row.pages),
    row.msPerPage.toFixed(1),
    row.ratio.toFixed(2),
    row.pandocRatio === undefined ? '–' : row.pandocRatio.toFixed(2),
    row.wallMsPerPage.toFixed(1),
    row.layoutMs === undefined ? '–' : (row.layoutMs / 1000).toFixed(2),
    (row.prepareMs / 1000).toFixed(2),
  ]
  console.log(`| ${cells.join(' | ')} |`)
}
if (values.json) await writeFile(values.json, JSON.stringify({ slug, runs, rows }, null, 1) + '\n')
