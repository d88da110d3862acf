/**
 * Fixture-driven tests of the Markdown → HTML pipeline. Each folder in
 * test/fixtures is a small manuscript (chapter files, maybe a book.yaml) with
 * the expected chapter HTML (`output.html`, chapters separated by a comment,
 * then the bibliography if the book has one)
 * and the expected diagnostics (`messages.txt`, one per line). Run with
 * UPDATE=1 to rewrite the expectations after a deliberate change, then read
 * the diff.
 */
import assert from 'node:assert/strict'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import rehypeStringify from 'rehype-stringify'
import { unified } from 'unified'
import { ROOT, run } from './helpers.ts'

const stringifier = unified().use(rehypeStringify)

const fixtures = path.join(ROOT, 'test/fixtures')

for (const name of (await readdir(fixtures)).sort()) {
  test(`fixture: ${name}`, async () => {
    const dir = path.join(fixtures, name)
    const { html, messages, book } = await run(dir)
    const chapters = book.chapters.map((chapter, index) => `<!-- ${chapter.source}: ${chapter.id} “${chapter.title}” (${chapter.paragraphMode}) -->\n${html[index]}\n`)
    const back = book.bibliography ? [`<!-- ${book.citationStyle?.id}: ${book.bibliography.title} -->\n${stringifier.stringify({ type: "root", children: [book.bibliography.hast] })}\n`] : []
    const actualHtml = [...chapters, ...back].join('\n')
    const actualMessages = messages.map((line) => line.replace(/^.*?([^/]+\.(md|yaml|yml|json|bib)):/, '$1:')).join('\n') + '\n'
    if (process.env.UPDATE) {
      await writeFile(path.join(dir, 'output.html'), actualHtml)
      await writeFile(path.join(dir, 'messages.txt'), actualMessages)
      return
    }
    assert.equal(actualHtml, await readFile(path.join(dir, 'output.html'), 'utf8'))
    assert.equal(actualMessages, await readFile(path.join(dir, 'messages.txt'), 'utf8'))
  })
}
