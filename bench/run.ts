/**
 * `npm run bench`: Quire on a long generated book, stage by stage, side by
 * side in the same run with the PDF floor (one plain `page.pdf()` of
 * Quire's own print HTML) and with pandoc, then the rebuilds authors make
 * all day. Every Quire figure is a fresh `quire` process, as the author
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
import { pageCount } from '../src/render/pdf/pdf-file.ts'
import { writeCorpus } from './corpus.ts'
import { printFloor } from './floor.ts'
import { measure, median, type Measured } from './measure.ts'
import { findPandoc, toPandoc } from './pandoc.ts'
import { previewLatency } from './preview.ts'

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

// 1. Cold builds: no cache, all three editions.
const formats = withPdf ? 'html,epub,pdf' : 'html,epub'
const cold: Measured[] = []
for (let run = 0; run < runs; run++) {
  await rm(out, { recursive: true, force: true })
  cold.push(await build(formats))
  log(`cold build ${run + 1}/${runs}: ${seconds(cold.at(-1)!.ms)} s`)
}
const stage = (list: Measured[], ...keys: string[]) => median(list.map((run) => keys.reduce((sum, key) => sum + (run.stages[key] ?? 0), 0)))

// 2. The floor, with the same browser, on the print HTML the last build left.
const floor: number[] = []
if (withPdf) {
  const slug = /^slug: (.+)$/m.exec(await readFile(path.join(book, 'book.yaml'), 'utf8'))![1]!
  const session = createBrowserSession()
  try {
    const browser = await session.browser()
    const pages = pageCount(await readFile(path.join(out, `${slug}.pdf`)))
    for (let run = 0; run < runs; run++) floor.push(await printFloor(browser, path.join(out, '.cache'), slug, pages))
  } finally {
    await session.close()
  }
  log(`floor: ${floor.map((ms) => seconds(ms)).join(', ')} s`)
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
const incremental: { case: string; htmlEpub: Measured[]; pdf?: Measured }[] = []
// The last cold build left the cache warm.
for (const [name, edit] of edits) {
  const htmlEpub: Measured[] = []
  for (let run = 0; run < runs; run++) {
    await edit(run)
    htmlEpub.push(await build('html,epub'))
  }
  const entry: (typeof incremental)[number] = { case: name, htmlEpub }
  if (withPdf && incremental.length === 0) {
    // Once with the PDF, which starts from the part lengths the last print confirmed: edit, and rebuild all three.
    await edit(runs)
    entry.pdf = await build(formats)
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
}

// The table.
const loadParse = stage(cold, 'load', 'parse')
const upToEpub = stage(cold, 'load', 'parse', 'html', 'cite', 'html-edition', 'epub')
const pdfStage = stage(cold, 'pdf')
const rows: [string, number | undefined, string?][] = [
  ['load + parse', loadParse],
  ['transform (mdast → hast, book checks)', stage(cold, 'html')],
  ['citations (citeproc, notes, bibliography)', stage(cold, 'cite')],
  ['HTML edition', stage(cold, 'html-edition')],
  ['EPUB', stage(cold, 'epub')],
  ...(withPdf ? [['PDF', pdfStage] as [string, number]] : []),
  ['whole build, wall (process start to exit)', median(cold.map((run) => run.ms))],
  ['check, cache warm', median(checkWarm.map((run) => run.ms))],
  ['check, no cache', median(checkCold.map((run) => run.ms))],
]
const peak = Math.max(...cold.map((run) => run.peakMiB))
const treePeak = Math.max(...cold.map((run) => run.treeMiB))
console.log('\nCold build (no cache), per stage')
for (const [name, ms] of rows) console.log(`  ${name.padEnd(46)} ${ms === undefined ? '–' : seconds(ms).padStart(7)} s`)
console.log(`  ${'peak RSS of the Node process (with workers)'.padEnd(46)} ${peak.toFixed(0).padStart(7)} MiB`)
console.log(`  ${'peak PSS of Node + Chromium together'.padEnd(46)} ${treePeak.toFixed(0).padStart(7)} MiB`)
console.log('\nSide by side')
const htmlEpubPandoc = median(pandocRuns.html) + median(pandocRuns.epub)
if (withPdf) console.log(`  ${'floor: plain page.pdf() of the print HTML'.padEnd(46)} ${seconds(median(floor)).padStart(7)} s   Quire PDF / floor = ${(pdfStage / median(floor)).toFixed(2)} (target ≤ 1.5)`)
if (pandoc) {
  console.log(`  ${`pandoc --citeproc → HTML (${pandoc.version})`.padEnd(46)} ${seconds(median(pandocRuns.html)).padStart(7)} s`)
  console.log(`  ${'pandoc --citeproc → EPUB 3'.padEnd(46)} ${seconds(median(pandocRuns.epub)).padStart(7)} s`)
  console.log(`  ${'Quire load → EPUB (both editions)'.padEnd(46)} ${seconds(upToEpub).padStart(7)} s   / pandoc HTML + EPUB = ${(upToEpub / htmlEpubPandoc).toFixed(2)} (target ≤ 0.25)`)
} else console.log('  pandoc: not installed, skipped')
console.log('\nRebuilds, cache warm (HTML + EPUB; whole process)')
for (const entry of incremental) {
  const ms = median(entry.htmlEpub.map((run) => run.ms))
  console.log(`  ${entry.case.padEnd(46)} ${seconds(ms).padStart(7)} s   in-process stages ${seconds(stage(entry.htmlEpub, 'load', 'parse', 'html', 'cite', 'html-edition', 'epub'))} s`)
  if (entry.pdf) console.log(`  ${'  … with the PDF (1 run): PDF stage'.padEnd(46)} ${seconds(entry.pdf.stages.pdf ?? 0).padStart(7)} s   = ${((entry.pdf.stages.pdf ?? 0) / pdfStage).toFixed(2)} of the cold PDF stage`)
}
console.log('\nquire preview, cache warm (save → reload event → page fetched)')
console.log(`  ${'one chapter’s text edited'.padEnd(46)} ${seconds(median(latency.event)).padStart(7)} s   page ${seconds(median(latency.page))} s (target < 0.30)`)
console.log(`\nbench took ${seconds(performance.now() - benchStarted)} s`)

const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  corpus: { chapters: Number(values.chapters), wordsPerChapter: Number(values.words), words: corpus.words },
  runs,
  cold: { stagesMs: Object.fromEntries(rows.map(([name, ms]) => [name, ms])), runs: cold.map(({ ms, peakMiB, treeMiB, stages }) => ({ ms, peakMiB, treeMiB, stages })), peakMiB: peak, treePssMiB: treePeak },
  floor: withPdf ? { medianMs: median(floor), runs: floor, ratio: pdfStage / median(floor) } : undefined,
  pandoc: pandoc ? { version: pandoc.version, htmlMs: pandocRuns.html, epubMs: pandocRuns.epub, quireUpToEpubMs: upToEpub, ratio: upToEpub / htmlEpubPandoc } : undefined,
  check: { warmMs: checkWarm.map((run) => run.ms), coldMs: checkCold.map((run) => run.ms) },
  preview: { eventMs: latency.event, pageMs: latency.page },
  incremental: incremental.map((entry) => ({ case: entry.case, htmlEpubMs: entry.htmlEpub.map((run) => run.ms), stages: entry.htmlEpub.map((run) => run.stages), pdfStageMs: entry.pdf?.stages.pdf })),
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
