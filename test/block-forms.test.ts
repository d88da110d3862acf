/**
 * The property behind "blocks end where their syntax ends": a chapter in line
 * form (one block per line, no blank lines) and the same chapter in blank-line
 * form build the same HTML, whether the paragraph mode is detected or forced.
 * 240 generated chapters mixing every documented construct
 * (`block-forms-corpus.ts`), in three books; then short line-form chapters,
 * a few prose lines among lines that are blocks on their own, whose detected
 * mode must keep every prose line a paragraph, and hard-wrapped chapters
 * holding the same lines, which must still be read as hard-wrapped.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { analyze } from '../src/build.ts'
import { toDiagnostics } from '../src/diagnostics/report.ts'
import { corpusReferences, generateChapter, generateHardWrappedChapter, generateShortLineChapter, loneKinds, type GeneratedChapter } from './block-forms-corpus.ts'
import { DOT_GIF, manuscript, run } from './helpers.ts'

const stringifier = unified().use(rehypeStringify)

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

const SHORT = 24
const WRAPPED = 8

// Paragraph mode is detected from the breaks between prose lines. A short chapter in line form has few of them,
// so a line that is a block on its own (an image or HTML tag alone, a comment, a citation marker, a section line,
// a definition, a list item without a full stop …) must not count as a break in mid-sentence, or the chapter is
// read as hard-wrapped and its lines merge. A hard-wrapped chapter holding the same lines is still hard-wrapped.
test('short line-form chapters among lone blocks keep every prose line a paragraph; hard-wrapped ones stay hard-wrapped', async () => {
  // Two prose lines around each kind of lone block, then chapters mixing them.
  const short = [
    ...loneKinds.map((kind, i) => generateShortLineChapter(4000 + i, i + 1, kind)),
    ...Array.from({ length: SHORT }, (_, i) => generateShortLineChapter(5000 + i, loneKinds.length + i + 1)),
  ]
  const wrapped = Array.from({ length: WRAPPED }, (_, i) => generateHardWrappedChapter(6000 + i, short.length + i + 1))
  const chapters = [...short, ...wrapped]
  const build = async (form: 'lineForm' | 'blankForm') => {
    const files: Record<string, string | Uint8Array> = {
      'book.yaml': 'title: Generated\nbibliography: refs.json\nchecks: {reference-uncited: off}\n',
      'refs.json': corpusReferences,
      'images/dot.gif': DOT_GIF,
    }
    for (const chapter of chapters) files[chapter.file] = chapter[form]
    const dir = await manuscript(files)
    // Citations matched, not formatted (`check` does the same): the blocks are what is compared, and it keeps this test fast.
    const result = await analyze({ manuscript: dir, cwd: dir, formatCitations: false })
    const html = result.book.chapters.map((chapter) => stringifier.stringify(chapter.hast).trim())
    const messages = toDiagnostics(result.files).map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.ruleId}: ${d.message}`)
    return { modes: result.book.chapters.map((chapter) => chapter.paragraphMode), html, messages }
  }
  const [line, blank] = [await build('lineForm'), await build('blankForm')]
  assert.deepEqual(blank.messages.filter((message) => / error /.test(message)), [], 'the blank-line form builds without errors')
  // Every prose line is in exactly one paragraph, and alone in it: nothing merged, nothing dropped.
  const has = (text: string, token: string) => new RegExp(`\\b${token}\\b`).test(text)
  const merged = short.flatMap((chapter, i) => {
    const paragraphs = [...line.html[i]!.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>/g)].map((match) => match[1]!)
    const alone = chapter.prose.every((token) => paragraphs.filter((text) => has(text, token)).length === 1)
    const shared = paragraphs.find((text) => chapter.prose.filter((token) => has(text, token)).length > 1)
    return alone && shared === undefined ? [] : [`${chapter.file}, read as ${line.modes[i]}: ${shared ?? 'a prose line in no paragraph'}`]
  })
  assert.deepEqual(merged, [], `prose lines merged or dropped, the first in:\n${short.find((chapter) => merged[0]?.startsWith(chapter.file))?.lineForm ?? ''}`)
  // And the chapter reads as its blank-line form, block for block.
  const differing = short.filter((_, i) => line.html[i] !== blank.html[i])
  assert.deepEqual(differing.map((chapter) => chapter.file), [], describe(differing[0], line.html[short.indexOf(differing[0]!)], blank.html[short.indexOf(differing[0]!)]))
  assert.deepEqual(ruleIds(line.messages), ruleIds(blank.messages), 'the same diagnostics')
  const misread = wrapped.filter((_, i) => line.modes[short.length + i] !== 'blank')
  assert.deepEqual(misread.map((chapter) => chapter.file), [], `hard-wrapped chapters read one paragraph per line, the first:\n${misread[0]?.lineForm ?? ''}`)
})

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
