/**
 * The PDF stage against its floor: Quire's whole PDF renderer (print
 * document, pagination, one print, the check against the printed PDF,
 * metadata) and, with the same browser, one plain `page.pdf()` of Quire's
 * own final print HTML (the document with the plan applied).
 *
 *   node --import tsx bench/pdf.ts [--chapters 60] [--words 8000] [--runs 3] [--manuscript DIR] [--footnotes]
 *
 * With `--footnotes`, each run also renders the book with `notes: footnotes`
 * (in the same browser, after the endnote render) and the two medians are
 * compared; the floor is the endnote document's (a saved footnote document
 * holds no layout to print plainly: the page script makes it).
 * With `--manuscript`, that book instead of the generated one.
 */
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { analyze } from '../src/build.ts'
import { createBrowserSession } from '../src/browser/session.ts'
import { pdfRenderer } from '../src/render/pdf/index.ts'
import { pageCount } from '../src/render/pdf/pdf-file.ts'
import { writeCorpus } from './corpus.ts'
import { printFloor } from './floor.ts'

const { values } = parseArgs({ options: { chapters: { type: 'string', default: '60' }, words: { type: 'string', default: '8000' }, runs: { type: 'string', default: '3' }, manuscript: { type: 'string' }, footnotes: { type: 'boolean', default: false } } })
const chapters = Number(values.chapters)
const words = Number(values.words)
const runs = Number(values.runs)

const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-'))
const manuscript = values.manuscript ? path.resolve(values.manuscript) : path.join(dir, 'book')
if (!values.manuscript) {
  const corpus = await writeCorpus(manuscript, { chapters, words })
  console.log(`corpus: ${chapters} chapters, ${corpus.words} words in ${manuscript}`)
}
const analyzed = await analyze({ manuscript, cwd: dir })
const slug = analyzed.book.config.slug
const cacheDir = path.join(dir, 'build/.cache')
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!

const session = createBrowserSession()
const quire: number[] = []
const floor: number[] = []
const footnoted: number[] = []
let footnotePages = 0
let pages = 0
const prints: number[] = []
try {
  const browser = await session.browser()
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    let printed = 0
    // reuse: false, or every run after the first would start from the part lengths the one before confirmed.
    const artifact = await pdfRenderer.render(analyzed.book, { browser: session, cacheDir, reuse: false, onProgress: (step) => void (step.startsWith('printing') && printed++) })
    prints.push(printed)
    quire.push(performance.now() - started)
    const bytes = (Array.isArray(artifact) ? artifact[0]! : artifact) as { content: Uint8Array }
    pages = pageCount(bytes.content)

    // The floor: the same final HTML, loaded and printed once, plainly.
    floor.push(await printFloor(browser, cacheDir, slug, pages))

    if (values.footnotes) {
      const book = { ...analyzed.book, config: { ...analyzed.book.config, notes: { print: 'footnotes' as const } } }
      const start = performance.now()
      const result = await pdfRenderer.render(book, { browser: session, cacheDir, reuse: false })
      footnoted.push(performance.now() - start)
      footnotePages = pageCount(((Array.isArray(result) ? result[0]! : result) as { content: Uint8Array }).content)
    }
  }
} finally {
  await session.close()
}
const q = median(quire) / 1000
const f = median(floor) / 1000
console.log(`pages: ${pages}; prints per render: ${prints.join(', ')} (2 when the printed pages differed from the plan)`)
console.log(`Quire PDF stage   median ${q.toFixed(2)} s  (runs: ${quire.map((ms) => (ms / 1000).toFixed(2)).join(', ')})`)
console.log(`plain page.pdf()  median ${f.toFixed(2)} s  (runs: ${floor.map((ms) => (ms / 1000).toFixed(2)).join(', ')})`)
console.log(`ratio             ${(q / f).toFixed(2)} × the floor (target ≤ 1.5)`)
if (values.footnotes) {
  const fn = median(footnoted) / 1000
  console.log(`with footnotes    median ${fn.toFixed(2)} s  (runs: ${footnoted.map((ms) => (ms / 1000).toFixed(2)).join(', ')}), ${footnotePages} pages: ${(fn / q).toFixed(2)} × the endnote render`)
}
