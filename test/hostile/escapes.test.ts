/**
 * Hostile manuscripts Quire already held against: paths out of the book,
 * remote URLs, active content in raw HTML, YAML bombs, a huge chapter and
 * deep nesting. Each stays a test (harness.ts says what every case
 * asserts: no canary in any output, no request, the previous edition kept
 * after a failure, a valid and inert edition after a success).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertValidEditions, diagnostic, runHostile } from './harness.ts'

const chapter = (body: string) => `---\ntitle: Hostile\n---\n${body}\n`

test('file: URLs, absolute paths and ../ escapes to the canary are refused at their position', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Escapes\n',
      '01-escape.md': chapter('![a](file://{{CANARY}})\n\n![b](../canary.txt)\n\n![c]({{CANARY}})\n\n[d](../canary.txt)\n\n<img src="file://{{CANARY}}" alt="e">'),
    },
  })
  assert.equal(result.code, 1)
  const first = diagnostic(result, 'asset-outside')
  assert.deepEqual([first.line, first.column], [4, 1])
})

test('a symlink out of the book, as an image, is refused', async () => {
  const result = await runHostile({
    files: { 'book.yaml': 'title: Links\n', '01-link.md': chapter('Text.\n\n![a](images/secret.png)') },
    symlinks: { 'images/secret.png': '{{CANARY}}' },
  })
  assert.equal(result.code, 1)
  const found = diagnostic(result, 'asset-outside')
  assert.deepEqual([found.line, found.column], [6, 1])
})

test('remote images and stylesheets are refused and never fetched', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Remote\n',
      '01-remote.md': chapter('![a]({{SERVER}}/a.png)\n\n<img src="{{SERVER}}/b.png" alt="b">\n\n<link rel="stylesheet" href="{{SERVER}}/c.css">\n\n<style>@import "{{SERVER}}/d.css";</style>'),
    },
  })
  assert.equal(result.code, 1)
  const found = diagnostic(result, 'asset-remote')
  assert.deepEqual([found.line, found.column], [4, 1])
})

test('scripts, event handlers, frames and javascript: links are removed with a warning; the edition is valid', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Active\n',
      '01-active.md': chapter(
        'Text <b onclick="fetch(\'{{SERVER}}/x\')">bold</b> and [a link](javascript:fetch(\'{{SERVER}}/y\')).\n\n<script>fetch("{{SERVER}}/z")</script>\n\n<iframe src="{{SERVER}}/f"></iframe>\n\n<svg onload="fetch(\'{{SERVER}}/s\')"><circle r="4"/></svg>',
      ),
    },
  })
  await assertValidEditions(result)
  diagnostic(result, 'unsafe-html')
  diagnostic(result, 'unsafe-url')
  for (const [name, bytes] of result.outputs) {
    if (!/\.(x?html)$/.test(name)) continue
    assert.doesNotMatch(bytes.toString('utf8'), /<script(?![^>]*quire)|onclick|onload|<iframe|javascript:/i, name)
  }
})

test('YAML bombs in book.yaml and in front matter are refused with the file named', async () => {
  const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n'
  const inBook = await runHostile({ files: { 'book.yaml': `title: Bomb\n${bomb}`, '01-a.md': chapter('Text.') } })
  assert.equal(inBook.code, 1)
  const found = inBook.diagnostics.find((entry) => entry.severity === 'error')
  assert.ok(found && /book\.yaml$/.test(found.file), JSON.stringify(inBook.diagnostics))
  const inChapter = await runHostile({ files: { 'book.yaml': 'title: Bomb\n', '01-a.md': `---\ntitle: Bomb\n${bomb}---\nText.\n` } })
  assert.equal(inChapter.code, 1)
  const error = inChapter.diagnostics.find((entry) => entry.severity === 'error')
  assert.ok(error && /01-a\.md$/.test(error.file), JSON.stringify(inChapter.diagnostics))
})

test('a chapter over the size limit and one nested thousands deep are refused, not crashed on', async () => {
  const huge = await runHostile({ files: { 'book.yaml': 'title: Huge\n', '01-huge.md': chapter('word '.repeat(2_200_000)) } })
  assert.equal(huge.code, 1)
  diagnostic(huge, 'chapter-too-large')
  const deep = await runHostile({ files: { 'book.yaml': 'title: Deep\n', '01-deep.md': chapter(`${'> '.repeat(5000)}deep`) } })
  assert.equal(deep.code, 1)
  diagnostic(deep, 'nesting-too-deep')
  assert.doesNotMatch(deep.stderr + huge.stderr, /\n\s+at /, 'no stack trace')
})
