/**
 * `quire check` against the HTML build of the same manuscript, each as the
 * author runs it: a fresh `node bin/quire.js` process (start-up included),
 * alternated run by run so both see the same machine load.
 *
 *   node --import tsx bench/check.ts [--chapters 60] [--words 8400] [--runs 5] [--manuscript DIR]
 *
 * Prints each run, then the medians and their ratio.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { writeCorpus } from './corpus.ts'

const run = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({ options: { chapters: { type: 'string', default: '60' }, words: { type: 'string', default: '8400' }, runs: { type: 'string', default: '5' }, manuscript: { type: 'string' } } })
const runs = Number(values.runs)

const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-check-'))
const manuscript = values.manuscript ? path.resolve(values.manuscript) : path.join(dir, 'book')
if (!values.manuscript) {
  const corpus = await writeCorpus(manuscript, { chapters: Number(values.chapters), words: Number(values.words) })
  console.log(`corpus: ${values.chapters} chapters, ${corpus.words} words in ${manuscript}`)
}

async function timed(args: string[]): Promise<{ ms: number; stdout: string }> {
  const started = performance.now()
  const result = await run(process.execPath, [path.join(root, 'bin/quire.js'), ...args], { cwd: dir, maxBuffer: 256 * 1024 * 1024 }).catch(
    (error: { code?: number; stdout?: string; stderr?: string }) => {
      // check exits 1 when the manuscript has errors; that is a result, not a failure.
      if (error.code === 1 && args[0] === 'check') return { stdout: error.stdout ?? '', stderr: error.stderr ?? '' }
      throw new Error(`quire ${args.join(' ')} failed: ${error.stderr}`)
    },
  )
  return { ms: performance.now() - started, stdout: result.stdout }
}

const check: number[] = []
const html: number[] = []
let messages = 0
for (let index = 0; index < runs; index++) {
  const checked = await timed(['check', manuscript, '--format', 'json', '--no-cache'])
  check.push(checked.ms)
  messages = (JSON.parse(checked.stdout) as unknown[]).length
  const out = path.join(dir, 'out')
  html.push((await timed(['build', manuscript, '--format', 'html', '--out', out, '--quiet', '--draft', '--no-cache'])).ms)
  await rm(out, { recursive: true, force: true })
  console.log(`run ${index + 1}: check ${(check.at(-1)! / 1000).toFixed(2)} s (${messages} messages), html build ${(html.at(-1)! / 1000).toFixed(2)} s`)
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!
console.log(`median of ${runs}: check ${(median(check) / 1000).toFixed(2)} s, html build ${(median(html) / 1000).toFixed(2)} s, check / build = ${(median(check) / median(html)).toFixed(2)}`)
if (!values.manuscript) await rm(dir, { recursive: true, force: true })
