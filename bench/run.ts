/**
 * `npm run bench`: Quire on a long generated book, whole processes cold
 * (HTML + EPUB, then the PDF), side by side in the same run with pandoc
 * (HTML and EPUB with --citeproc) and two PDF floors (plain `page.pdf()`s of
 * Quire's own print document and of pandoc's HTML), then the rebuilds
 * authors make all day and the preview; ends with the issue's targets. Every Quire figure is a fresh `quire` process, as the author
 * runs it; each is the median of `--runs`. Prints a table and writes the
 * figures to build/bench.json.
 *
 *   npm run bench -- [--chapters 60] [--words 8000] [--runs 3] [--json build/bench.json] [--no-pdf] [--no-pandoc]
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createBrowserSession } from '../src/browser/session.ts'
import { PDFDocument } from 'pdf-lib'
import { pageCount } from '../src/render/pdf/pdf-file.ts'
import { writeCorpus } from './corpus.ts'
import { printFloor } from './floor.ts'
import { measure, median, type Measured } from './measure.ts'
import { findPandoc, toPandoc } from './pandoc.ts'
import { previewLatency } from './preview.ts'
import { printPlain, type PlainPrint } from './pandoc-floor.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: {
    chapters: { type: 'string', default: '60' },
    words: { type: 'string', default: '8000' },
    runs: { type: 'string', default: '3' },
    json: { type: 'string', default: path.join(ROOT, 'build/bench.json') },
    'no-pdf': { type: 'boolean' },
    'no-pandoc': { type: 'boolean' },
  },
})
const runs = Math.max(1, Number(values.runs))
const withPdf = !values['no-pdf']
const benchStarted = performance.now()

const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-'))
const book = path.join(dir, 'book')
const out = path.join(dir, 'out')
const corpus = await writeCorpus(book, { chapters: Number(values.chapters), words: Number(values.words) })
log(`corpus: ${values.chapters} chapters, ${corpus.words.toLocaleString('en')} words, 400 references (${book})`)
log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; medians of ${runs} runs`)

const quire = (args: string[]) => measure(process.execPath, [path.join(ROOT, 'bin/quire.js'), ...args], { cwd: dir })
const build = async (formats: string) => {
  const result = await quire(['build', book, '--out', out, '--draft', '--format', formats])
  if (result.code !== 0) throw new Error(`quire build failed (${result.code}):\n${result.stderr.slice(-2000)}`)
  return result
}

// 1. Cold builds (no cache), whole processes: HTML + EPUB as pandoc makes them, then the PDF alone.
const cold: Measured[] = []
for (let run = 0; run < runs; run++) {
  await rm(out, { recursive: true, force: true })
  cold.push(await build('html,epub'))
  log(`cold HTML + EPUB ${run + 1}/${runs}: ${seconds(cold.at(-1)!.ms)} s`)
}
const coldPdf: Measured[] = []
for (let run = 0; withPdf && run < runs; run++) {
  await rm(out, { recursive: true, force: true })
  coldPdf.push(await build('pdf'))
  log(`cold PDF ${run + 1}/${runs}: ${seconds(coldPdf.at(-1)!.ms)} s`)
}
const stage = (list: Measured[], ...keys: string[]) => median(list.map((run) => keys.reduce((sum, key) => sum + (run.stages[key] ?? 0), 0)))

// 2. The floors. Quire's own print document printed plainly (what the print costs with Quire's
// styles, without its checks), and pandoc's HTML printed plainly: a plain book's cost per page.
const floor: number[] = []
let pdfPages = 0
let pdfSize = { width: 432, height: 648 }
if (withPdf) {
  const slug = /^slug: (.+)$/m.exec(await readFile(path.join(book, 'book.yaml'), 'utf8'))![1]!
  const printed = await readFile(path.join(out, `${slug}.pdf`))
  pdfPages = pageCount(printed)
  pdfSize = await firstPageSize(printed)
  const session = createBrowserSession()
  try {
    const browser = await session.browser()
    for (let run = 0; run < runs; run++) floor.push(await printFloor(browser, path.join(out, '.cache'), slug, pdfPages))
  } finally {
    await session.close()
  }
  log(`floor (Quire's print document, plain page.pdf()): ${floor.map((ms) => seconds(ms)).join(', ')} s`)
}

// 3. check: with the cache the builds left, and without any.
const checkWarm: Measured[] = []
const checkCold: Measured[] = []
for (let run = 0; run < runs; run++) {
  checkWarm.push(await quire(['check', book, '--format', 'json', '--cache-dir', path.join(out, '.cache')]))
  checkCold.push(await quire(['check', book, '--format', 'json', '--no-cache']))
}

// 4. Rebuilds after one change, the cache warm from the build before.
type Edit = (run: number) => Promise<void>
// A chapter in the middle of the book that maps a marker 1 (most do).
const chapterFile = await middleChapterWithMarker(book, Number(values.chapters))
const edits: [string, Edit][] = [
  ['one chapter’s text edited', async (run) => rewrite(chapterFile, (text) => text.replace(/\n([A-Z][a-z]+) /, (_, word: string) => `\n${word} (edit ${run}) `))],
  ['one chapter’s citation changed', async (run) => rewrite(chapterFile, (text) => text.replace(/^( {2}1: (?:\{ key: )?)([\w]+)/m, (_, lead: string, key: string) => `${lead}${KEYS.filter((other) => other !== key)[run % (KEYS.length - 1)]}`))],
  ['book.yaml title changed', async (run) => rewrite(path.join(book, 'book.yaml'), (text) => text.replace(/^title: .*/m, `title: The Long Century, Take ${run + 2}`))],
]
const KEYS = (JSON.parse(await readFile(path.join(book, 'references.json'), 'utf8')) as { id: string }[]).slice(0, 5).map((reference) => reference.id)
const incremental: { case: string; htmlEpub: Measured[]; pdf?: Measured[] }[] = []
// The last cold build left the cache warm.
for (const [name, edit] of edits) {
  const htmlEpub: Measured[] = []
  for (let run = 0; run < runs; run++) {
    await edit(run)
    htmlEpub.push(await build('html,epub'))
  }
  const entry: (typeof incremental)[number] = { case: name, htmlEpub }
  if (withPdf && incremental.length === 0) {
    // The PDF alone after the same kind of edit, from the cache its last print left.
    const pdf: Measured[] = []
    for (let run = 0; run < runs; run++) {
      await edit(runs + run)
      pdf.push(await build('pdf'))
    }
    entry.pdf = pdf
    log(`${name}, PDF: ${pdf.map((one) => seconds(one.ms)).join(', ')} s`)
  }
  incremental.push(entry)
  log(`${name}: ${htmlEpub.map((run) => seconds(run.ms)).join(', ')} s`)
}

// 5. quire preview: from saving a chapter to the reload event and the reloaded page.
const latency = await previewLatency({
  quire: path.join(ROOT, 'bin/quire.js'),
  cwd: dir,
  book,
  out,
  chapter: chapterFile,
  runs,
  edit: async (run) => {
    const marker = `previewed${run}`
    await rewrite(chapterFile, (text) => text.replace(/\n([A-Z][a-z]+) /, (_, word: string) => `\n${word} ${marker} `))
    return marker
  },
})
log(`preview: ${latency.event.map(seconds).join(', ')} s to the reload event`)

// 6. pandoc on the same book, to HTML and to EPUB 3, with --citeproc.
const pandoc = values['no-pandoc'] ? undefined : findPandoc()
const pandocRuns = { html: [] as number[], epub: [] as number[] }
const plainPandoc: PlainPrint[] = []
if (pandoc) {
  const target = path.join(dir, 'pandoc')
  const converted = await toPandoc(book, target)
  for (let run = 0; run < runs; run++) {
    for (const format of ['html', 'epub'] as const) {
      const started = performance.now()
      execFileSync('pandoc', ['--citeproc', '--bibliography', 'references.json', '--standalone', '--metadata', `title=${converted.title}`, '-o', `book.${format}`, ...converted.chapters], { cwd: target, stdio: 'ignore' })
      pandocRuns[format].push(performance.now() - started)
    }
  }
  log(`pandoc: html ${pandocRuns.html.map(seconds).join(', ')} s; epub ${pandocRuns.epub.map(seconds).join(', ')} s`)
  for (let run = 0; withPdf && run < runs; run++) plainPandoc.push(await printPlain(path.join(target, 'book.html'), pdfSize))
  if (plainPandoc.length > 0) log(`pandoc's HTML, plain page.pdf() with launch: ${plainPandoc.map((one) => `${seconds(one.ms)} s (${one.pages} pages)`).join(', ')}`)
}

// The table.
const coldMs = median(cold.map((run) => run.ms))
const coldPdfMs = withPdf ? median(coldPdf.map((run) => run.ms)) : undefined
const rows: [string, number | undefined][] = [
  ['load + parse', stage(cold, 'load', 'parse')],
  ['citations (citeproc, notes, bibliography)', stage(cold, 'cite')],
  ['transform (mdast → hast, book checks)', stage(cold, 'html')],
  ['HTML edition', stage(cold, 'html-edition')],
  ['EPUB', stage(cold, 'epub')],
  ['HTML + EPUB, whole process', coldMs],
  ...(withPdf ? ([['PDF stage (of --format pdf)', stage(coldPdf, 'pdf')], ['PDF, whole process', coldPdfMs]] as [string, number | undefined][]) : []),
  ['check, cache warm', median(checkWarm.map((run) => run.ms))],
  ['check, no cache', median(checkCold.map((run) => run.ms))],
]
const everyRun = [...cold, ...coldPdf, ...incremental.flatMap((entry) => [...entry.htmlEpub, ...(entry.pdf ?? [])])]
const peak = Math.max(...everyRun.map((run) => run.peakMiB))
const treePeak = Math.max(...everyRun.map((run) => run.treeMiB))
console.log('\nCold builds (no cache)')
for (const [name, ms] of rows) console.log(`  ${name.padEnd(46)} ${ms === undefined ? '–' : seconds(ms).padStart(7)} s`)
console.log(`  ${'peak RSS of the Node process (with workers)'.padEnd(46)} ${peak.toFixed(0).padStart(7)} MiB`)
console.log(`  ${'peak PSS of Node + Chromium together'.padEnd(46)} ${treePeak.toFixed(0).padStart(7)} MiB`)

console.log('\nSide by side')
const htmlEpubPandoc = pandoc ? median(pandocRuns.html) + median(pandocRuns.epub) : undefined
if (pandoc) {
  console.log(`  ${`pandoc --citeproc → HTML (${pandoc.version})`.padEnd(46)} ${seconds(median(pandocRuns.html)).padStart(7)} s`)
  console.log(`  ${'pandoc --citeproc → EPUB 3'.padEnd(46)} ${seconds(median(pandocRuns.epub)).padStart(7)} s`)
} else console.log('  pandoc: not installed, skipped')
const plainPerPage = plainPandoc.length > 0 ? median(plainPandoc.map((one) => one.ms / one.pages)) : undefined
const scaledFloor = plainPerPage !== undefined ? plainPerPage * pdfPages : undefined
if (withPdf) {
  console.log(`  ${"Quire's print document, plain page.pdf()".padEnd(46)} ${seconds(median(floor)).padStart(7)} s   ${(median(floor) / pdfPages).toFixed(1)} ms a page (${pdfPages} pages)`)
  if (plainPerPage !== undefined) console.log(`  ${"pandoc's HTML, plain page.pdf() with launch".padEnd(46)} ${seconds(median(plainPandoc.map((one) => one.ms))).padStart(7)} s   ${plainPerPage.toFixed(1)} ms a page (${plainPandoc[0]!.pages} pages); scaled to ${pdfPages} pages ${seconds(scaledFloor!)} s`)
}

// The issue's targets, each a ratio measured in this run.
const textEdit = incremental[0]!
const editMs = median(textEdit.htmlEpub.map((run) => run.ms))
const editPdfMs = textEdit.pdf ? median(textEdit.pdf.map((run) => run.ms)) : undefined
const previewMs = median(latency.page)
const targets: { name: string; value: number | undefined; limit: number; unit: string }[] = [
  { name: 'cold HTML + EPUB / pandoc HTML + EPUB', value: htmlEpubPandoc ? coldMs / htmlEpubPandoc : undefined, limit: 0.25, unit: '×' },
  { name: 'one-chapter edit, HTML + EPUB / pandoc', value: htmlEpubPandoc ? editMs / htmlEpubPandoc : undefined, limit: 0.05, unit: '×' },
  { name: 'cold PDF / pandoc plain print, scaled', value: coldPdfMs !== undefined && scaledFloor ? coldPdfMs / scaledFloor : undefined, limit: 1.5, unit: '×' },
  { name: 'PDF after a one-chapter edit / cold PDF', value: editPdfMs !== undefined && coldPdfMs ? editPdfMs / coldPdfMs : undefined, limit: 0.25, unit: '×' },
  { name: 'preview: save → edited page served', value: previewMs / 1000, limit: 0.3, unit: 's' },
  { name: 'peak memory, Node + Chromium (PSS)', value: treePeak / 1024, limit: 2, unit: 'GiB' },
]
console.log('\nTargets (this run)')
for (const target of targets) {
  const shown = target.value === undefined ? '–' : target.value.toFixed(2)
  const verdict = target.value === undefined ? 'not measured' : target.value <= target.limit ? 'holds' : 'does not hold'
  console.log(`  ${target.name.padEnd(46)} ${shown.padStart(7)} ${target.unit.padEnd(3)} target ≤ ${target.limit} ${target.unit}: ${verdict}`)
}

console.log('\nRebuilds, cache warm (whole process)')
for (const entry of incremental) {
  const ms = median(entry.htmlEpub.map((run) => run.ms))
  console.log(`  ${`${entry.case}, HTML + EPUB`.padEnd(46)} ${seconds(ms).padStart(7)} s   in-process stages ${seconds(stage(entry.htmlEpub, 'load', 'parse', 'html', 'cite', 'html-edition', 'epub'))} s`)
  if (entry.pdf) console.log(`  ${`${entry.case}, PDF`.padEnd(46)} ${seconds(median(entry.pdf.map((run) => run.ms))).padStart(7)} s   PDF stage ${seconds(stage(entry.pdf, 'pdf'))} s`)
}
console.log('\nquire preview, cache warm (save → reload event → page fetched)')
console.log(`  ${'one chapter’s text edited'.padEnd(46)} ${seconds(median(latency.event)).padStart(7)} s   page ${seconds(previewMs)} s`)
console.log(`\nbench took ${seconds(performance.now() - benchStarted)} s`)

const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  corpus: { chapters: Number(values.chapters), wordsPerChapter: Number(values.words), words: corpus.words },
  runs,
  cold: { stagesMs: Object.fromEntries(rows.map(([name, ms]) => [name, ms])), htmlEpub: cold.map(({ ms, peakMiB, treeMiB, stages }) => ({ ms, peakMiB, treeMiB, stages })), pdf: coldPdf.map(({ ms, peakMiB, treeMiB, stages }) => ({ ms, peakMiB, treeMiB, stages })), peakMiB: peak, treePssMiB: treePeak },
  floor: withPdf ? { quirePrintDocumentMs: floor, pages: pdfPages, pandocPlain: plainPandoc, pandocScaledMs: scaledFloor } : undefined,
  pandoc: pandoc ? { version: pandoc.version, htmlMs: pandocRuns.html, epubMs: pandocRuns.epub } : undefined,
  check: { warmMs: checkWarm.map((run) => run.ms), coldMs: checkCold.map((run) => run.ms) },
  preview: { eventMs: latency.event, pageMs: latency.page },
  incremental: incremental.map((entry) => ({ case: entry.case, htmlEpubMs: entry.htmlEpub.map((run) => run.ms), stages: entry.htmlEpub.map((run) => run.stages), pdfMs: entry.pdf?.map((run) => run.ms), pdfStages: entry.pdf?.map((run) => run.stages) })),
  targets,
}
await mkdir(path.dirname(path.resolve(values.json)), { recursive: true })
await writeFile(path.resolve(values.json), JSON.stringify(report, null, 2) + '\n')
console.log(`figures: ${path.relative(process.cwd(), path.resolve(values.json))}`)
await rm(dir, { recursive: true, force: true })

async function rewrite(file: string, change: (text: string) => string): Promise<void> {
  const text = await readFile(file, 'utf8')
  const changed = change(text)
  if (changed === text) throw new Error(`The bench edit changed nothing in ${file}`)
  await writeFile(file, changed)
}

async function middleChapterWithMarker(dir: string, chapters: number): Promise<string> {
  const middle = Math.ceil(chapters / 2)
  const order = Array.from({ length: chapters }, (_, index) => index + 1).sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))
  for (const number of order) {
    const file = path.join(dir, `${String(number).padStart(2, '0')}-chapter-${number}.md`)
    if (/^ {2}1: /m.test(await readFile(file, 'utf8'))) return file
  }
  throw new Error('No chapter of the generated book maps a citation marker: give more --words')
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2)
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`)
}

/** The first page's size in points (the book's trim, as Quire printed it). */
async function firstPageSize(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  const document = await PDFDocument.load(bytes, { updateMetadata: false })
  return document.getPages()[0]!.getSize()
}
