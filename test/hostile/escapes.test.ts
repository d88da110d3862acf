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

test('file: URLs, absolute paths, ../ escapes and symlinks to the canary, and remote assets, are refused at their positions and never fetched', async () => {
  const result = await runHostile({
    files: {
      'book.yaml': 'title: Escapes\n',
      '01-escape.md': chapter('![a](file://{{CANARY}})\n\n![b](../canary.txt)\n\n![c]({{CANARY}})\n\n[d](../canary.txt)\n\n<img src="file://{{CANARY}}" alt="e">'),
      '02-link.md': chapter('Text.\n\n![a](images/secret.png)'),
      '03-remote.md': chapter('![a]({{SERVER}}/a.png)\n\n<img src="{{SERVER}}/b.png" alt="b">\n\n<link rel="stylesheet" href="{{SERVER}}/c.css">\n\n<style>@import "{{SERVER}}/d.css";</style>'),
    },
    symlinks: { 'images/secret.png': '{{CANARY}}' },
  })
  assert.equal(result.code, 1)
  const at = (file: string, ruleId: string) => result.diagnostics.filter((entry) => entry.file.endsWith(file) && entry.ruleId === ruleId).map((entry) => [entry.line, entry.column])
  assert.deepEqual(at('01-escape.md', 'asset-outside')[0], [4, 1])
  assert.deepEqual(at('02-link.md', 'asset-outside'), [[6, 1]])
  assert.deepEqual(at('03-remote.md', 'asset-remote')[0], [4, 1])
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

// YAML alias bombs: input.test.ts (book.yaml, front matter and CSL-YAML, each at the alias).

test('a chapter over the size limit and one nested thousands deep are refused, not crashed on', async () => {
  const huge = await runHostile({ files: { 'book.yaml': 'title: Huge\n', '01-huge.md': chapter('word '.repeat(2_200_000)) } })
  assert.equal(huge.code, 1)
  diagnostic(huge, 'chapter-too-large')
  const deep = await runHostile({ files: { 'book.yaml': 'title: Deep\n', '01-deep.md': chapter(`${'> '.repeat(5000)}deep`) } })
  assert.equal(deep.code, 1)
  diagnostic(deep, 'nesting-too-deep')
  assert.doesNotMatch(deep.stderr + huge.stderr, /\n\s+at /, 'no stack trace')
})
