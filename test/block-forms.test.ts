/**
 * The property behind "blocks end where their syntax ends": a chapter in line
 * form (one block per line, no blank lines) and the same chapter in blank-line
 * form build the same HTML, whether the paragraph mode is detected or forced.
 * 240 generated chapters mixing every documented construct
 * (`block-forms-corpus.ts`), in three books.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { corpusReferences, generateChapter, type GeneratedChapter } from './block-forms-corpus.ts'
import { DOT_GIF, manuscript, run } from './helpers.ts'

const BOOKS = 3
const CHAPTERS = 80

for (let book = 0; book < BOOKS; book++) {
  test(`line form and blank-line form build the same HTML: chapters ${book * CHAPTERS + 1}–${(book + 1) * CHAPTERS}`, async () => {
    const chapters = Array.from({ length: CHAPTERS }, (_, i) => generateChapter(1000 + book * CHAPTERS + i, i + 1))
    const build = async (form: 'lineForm' | 'blankForm', paragraphs: string) => {
      const files: Record<string, string | Uint8Array> = {
        'book.yaml': `title: Generated\nbibliography: refs.json\nparagraphs: ${paragraphs}\nchecks: {reference-uncited: off}\n`,
        'refs.json': corpusReferences,
        'images/dot.gif': DOT_GIF,
      }
      for (const chapter of chapters) files[chapter.file] = chapter[form]
      return run(await manuscript(files))
    }
    const blank = await build('blankForm', 'auto')
    assert.deepEqual(blank.messages.filter((line) => / error /.test(line)), [], 'the blank-line form builds without errors')
    // The blank-line form forced to `lines` reads the same (each of its blocks is one line): the first book checks it.
    const others = [['line form, mode detected', await build('lineForm', 'auto')], ['line form, paragraphs: lines', await build('lineForm', 'lines')]] as [string, Awaited<ReturnType<typeof build>>][]
    if (book === 0) others.push(['blank-line form, paragraphs: lines', await build('blankForm', 'lines')])
    for (const [label, other] of others) {
      const differing = chapters.filter((_, i) => other.html[i] !== blank.html[i])
      assert.deepEqual(differing.map((chapter) => chapter.file), [], `${label}: ${describe(differing[0], other.html[chapters.indexOf(differing[0]!)], blank.html[chapters.indexOf(differing[0]!)])}`)
      assert.deepEqual(ruleIds(other.messages), ruleIds(blank.messages), `${label}: the same diagnostics`)
    }
  })
}

function ruleIds(messages: string[]): string[] {
  return messages.map((line) => /: (?:error|warning|info) ([\w-]+):/.exec(line)?.[1] ?? line).sort()
}

/** The first differing chapter, its blocks and the first differing line of its HTML. */
function describe(chapter: GeneratedChapter | undefined, got: string | undefined, want: string | undefined): string {
  if (!chapter) return ''
  const a = (got ?? '').split('\n')
  const b = (want ?? '').split('\n')
  const index = a.findIndex((line, i) => line !== b[i])
  return `${chapter.file} (${chapter.kinds.join(', ')}) differs at HTML line ${index + 1}:\n  got:  ${a[index]}\n  want: ${b[index]}\n--- line form:\n${chapter.lineForm}`
}
