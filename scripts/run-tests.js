/**
 * `npm test`'s runner: every test file, two at a time, the slowest first.
 * `node --test` runs files in the order of their names, which started the
 * longest one (pdf.test.ts, some 100 s) near the end, and the suite then
 * waited on it alone. Listed here, the slow files start first and the short
 * ones fill in around them. Two at a time, not three: on two cores the
 * suite is bound by CPU, and a third file only adds contention (on one
 * quiet machine, back to back: 509 s at two, 546 s at three).
 * `QUIRE_TEST_CONCURRENCY` sets another count. Run with `node --import tsx`:
 * the test files' processes inherit it. Arguments name test files to run
 * instead of all.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { run } from 'node:test'
import { spec, tap } from 'node:test/reporters'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The files that take longest alone (seconds on 2 cores, measured 2026-12-04), longest first. */
const SLOW_FIRST = [
  'test/pdf.test.ts', // 66
  'test/epub.test.ts', // 75
  'test/cache.test.ts', // 71
  'test/hostile/input.test.ts', // 65
  'test/hostile/assets.test.ts', // 62
  'test/hostile/xml-and-tables.test.ts', // 44
  'test/hostile/escapes.test.ts', // 29
  'test/citations-differential.test.ts', // 25
  'test/hostile/preview.test.ts', // 24
  'test/hostile/output.test.ts', // 23
  'test/print-store.test.ts', // 32
  'test/matter.test.ts', // 21
  'test/footnotes.test.ts', // 12
  'test/book-index.test.ts', // 10
  'test/footnote-variants.test.ts', // 12
]

function allFiles() {
  const found = ['test', 'test/hostile'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => `${dir}/${name}`),
  )
  const rank = (file) => (SLOW_FIRST.includes(file) ? SLOW_FIRST.indexOf(file) : SLOW_FIRST.length)
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

const files = (process.argv.length > 2 ? process.argv.slice(2) : allFiles()).map((file) => path.resolve(ROOT, file))
const stream = run({ files, concurrency: Number(process.env.QUIRE_TEST_CONCURRENCY ?? 2) })
stream.on('test:fail', (event) => {
  // A file's own failure (a crash, a failing hook) is reported as its test failing too.
  if (!event.todo && !event.skip) process.exitCode = 1
})
stream.compose(process.stdout.isTTY ? spec : tap).pipe(process.stdout)
