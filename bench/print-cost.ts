/**
 * What each feature of Quire's print document costs to print. Takes the
 * print document and plan a `quire build --format pdf` left in its cache,
 * makes one variant per factor (the factor removed or simplified), and
 * prints each with a plain `page.pdf()` as `bench/floor.ts` does, rounds
 * interleaved with the unchanged document, so that a noisy machine slows
 * the baseline and the variants alike. Pandoc's HTML of the same book is
 * printed the same way as the reference.
 *
 *   node --import tsx bench/print-cost.ts --out DIR [--book DIR] [--runs 3] [--only a,b] [--layout] [--json FILE]
 *
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
import type { Browser, PDFOptions } from 'puppeteer'
import { createBrowserSession, openLockedPage } from '../src/browser/session.ts'
import { showWithFonts } from '../src/browser/fonts.ts'
import { applyPlan, type PagePlan } from '../src/render/pdf/paginate.ts'
import { pageCount } from '../src/render/pdf/pdf-file.ts'
import { STYLES_DIR } from '../src/render/paths.ts'
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
  },
})
if (!values.out) throw new Error('Usage: bench/print-cost.ts --out BUILD_OUT [--book MANUSCRIPT] [--runs 3] [--only a,b] [--layout] [--json FILE]')
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
  /** `page.pdf()` of every page. */
  print: number
  pages: number
  /** `page.pdf()` of the first page only, on a fresh page (with --layout). */
  layout?: number
}

/** Load a document as the floor does, then time printing it. */
async function printOnce(browser: Browser, file: string, quire: boolean, options: PDFOptions): Promise<{ prepare: number; print: number; pages: number }> {
  const page = await openLockedPage(browser, () => true)
  try {
    const started = performance.now()
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 0 })
    if (quire) {
      // Faces loaded and the hold removed as Quire does, then the plan.
      await showWithFonts(page)
      await applyPlan(page, plan)
    }
    // The screen layout done, fonts settled: what follows is printing alone.
    await page.evaluate(`(async () => { void document.body.offsetHeight; await document.fonts.ready; void document.body.offsetHeight })()`)
    const ready = performance.now()
    const printed = await page.pdf(options)
    return { prepare: ready - started, print: performance.now() - ready, pages: pageCount(printed) }
  } finally {
    await page.close()
  }
}

async function sample(browser: Browser, file: string, quire: boolean, options: PDFOptions): Promise<Sample> {
  const full = await printOnce(browser, file, quire, options)
  if (!values.layout) return full
  const first = await printOnce(browser, file, quire, { ...options, pageRanges: '1' })
  return { ...full, layout: first.print }
}

const results = new Map<string, Sample[]>()
const record = (name: string, value: Sample) => results.set(name, [...(results.get(name) ?? []), value])
const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const session = createBrowserSession()
try {
  const browser = await session.browser()
  console.error(`${slug}: ${variants.length} variants, ${runs} rounds${pandocHtml ? ', pandoc' : ''}; ${await browser.version()}`)
  for (let round = 0; round < runs; round++) {
    // The baseline between every two variants: each variant has a baseline measured next to it.
    for (const variant of variants) {
      if (variant.name === 'baseline') continue
      for (const name of ['baseline', variant.name]) {
        const chosen = variants.find((each) => each.name === name)!
        const value = await sample(browser, files.get(name)!, true, { ...QUIRE_OPTIONS, ...chosen.options })
        record(name, value)
        console.error(`round ${round + 1} ${name.padEnd(22)} ${value.pages} pages  print ${(value.print / 1000).toFixed(2)} s${value.layout === undefined ? '' : `  first page ${(value.layout / 1000).toFixed(2)} s`}`)
      }
    }
    if (pandocHtml) {
      const value = await sample(browser, pandocHtml, false, QUIRE_OPTIONS)
      record('pandoc', value)
      console.error(`round ${round + 1} ${'pandoc'.padEnd(22)} ${value.pages} pages  print ${(value.print / 1000).toFixed(2)} s`)
    }
  }
} finally {
  await session.close()
}

// Per page: the print time over the pages printed. Ratios against the baseline of the same run.
const perPage = (list: Sample[]) => median(list.map((each) => each.print / each.pages))
const base = perPage(results.get('baseline')!)
const pandoc = results.get('pandoc')
const reference = pandoc ? perPage(pandoc) : undefined
const rows = [...results].map(([name, list]) => {
  const ms = perPage(list)
  const layout = list[0]!.layout === undefined ? undefined : median(list.map((each) => each.layout!))
  return {
    name,
    what: name === 'pandoc' ? "pandoc's standalone HTML of the same book" : variants.find((variant) => variant.name === name)!.what,
    pages: median(list.map((each) => each.pages)),
    printMs: median(list.map((each) => each.print)),
    msPerPage: ms,
    ratio: ms / base,
    pandocRatio: reference === undefined ? undefined : ms / reference,
    layoutMs: layout,
    prepareMs: median(list.map((each) => each.prepare)),
    runs: list.map((each) => Math.round(each.print)),
  }
})
console.log('| factor | pages | print s | ms/page | × baseline | × pandoc | first page only s | load s |')
console.log('|---|---:|---:|---:|---:|---:|---:|---:|')
for (const row of rows) {
  const cells = [
    `${row.name} (${row.what})`,
    String(row.pages),
    (row.printMs / 1000).toFixed(2),
    row.msPerPage.toFixed(1),
    row.ratio.toFixed(2),
    row.pandocRatio === undefined ? '–' : row.pandocRatio.toFixed(2),
    row.layoutMs === undefined ? '–' : (row.layoutMs / 1000).toFixed(2),
    (row.prepareMs / 1000).toFixed(2),
  ]
  console.log(`| ${cells.join(' | ')} |`)
}
if (values.json) await writeFile(values.json, JSON.stringify({ slug, runs, rows }, null, 1) + '\n')
