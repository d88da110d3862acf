/**
 * Citations end to end through the pipeline: one manuscript (test/books/cold-war,
 * references in CSL-JSON, CSL-YAML and BibTeX) formatted in each default style,
 * with the exact note and bibliography texts citeproc produces.
 */
import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { cli, manuscript, ROOT, run } from './helpers.ts'

/** A copy of the cold-war book with book.yaml edited. */
async function coldWar(edit: (yaml: string) => string = (yaml) => yaml): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-cold-war-'))
  await cp(path.join(ROOT, 'test/books/cold-war'), dir, { recursive: true })
  const file = path.join(dir, 'book.yaml')
  await writeFile(file, edit(await readFile(file, 'utf8')))
  return dir
}

const withStyle = (style: string) => (yaml: string) => yaml.replace(/citation-style: .*/, `citation-style: ${style}`)

test('Chicago notes: numbered endnotes, full then short forms, "See" moved into the note', async () => {
  const { book, html, messages } = await run(await coldWar())
  assert.deepEqual(messages, [])
  const [seven, eight] = book.chapters
  assert.deepEqual(seven!.notes.map((note) => note.text), [
    'George F. Kennan, “The Sources of Soviet Conduct,” Foreign Affairs 25, no. 4 (July 1947): 566–82.',
    'John Lewis Gaddis, The Cold War: A New History (New York: Penguin Press, 2005), chap. 3.',
    'See United Nations Security Council, “Resolution 1718 (2006)” (New York: United Nations, October 14, 2006).',
    // Short notes use the title before the colon ("title-short" derived, as pandoc does).
    'Gaddis, The Cold War, 41.',
    'Gaddis, 42.',
    'Kennan, “The Sources of Soviet Conduct,” 575.',
    'See Gaddis, The Cold War; Frederick Taylor, The Berlin Wall: A World Divided, 1961–1989 (New York: HarperCollins, 2006), 10–12.',
    'A later view. Compare Taylor, The Berlin Wall, 99 with the article itself.',
  ])
  // A new chapter starts again with full forms.
  assert.deepEqual(eight!.notes.map((note) => note.text), [
    'Frederick Taylor, The Berlin Wall: A World Divided, 1961–1989 (New York: HarperCollins, 2006), 12.',
    'George F. Kennan, “The Sources of Soviet Conduct,” Foreign Affairs 25, no. 4 (July 1947): 566–82.',
  ])
  assert.match(html[0]!, /<p>The sanctions came much later\.<sup class="noteref"><a id="ch-7-noteref-3" href="#ch-7-note-3" role="doc-noteref">3<\/a><\/sup><\/p>/)
  assert.match(html[0]!, /<p>George F\. Kennan<sup class="noteref"><a id="ch-7-noteref-6"/, 'author-in-text keeps the name in the sentence')
  assert.match(html[0]!, /<li id="ch-7-note-1"><p>George F\. Kennan, “The Sources of Soviet Conduct,” <i>Foreign Affairs<\/i>.*<a href="#ch-7-noteref-1" class="note-backlink" role="doc-backlink" aria-label="Back to text">/)
  assert.equal(book.bibliography?.title, 'Bibliography')
  assert.deepEqual(book.bibliography?.entries.map((entry) => [entry.id, entry.text]), [
    ['ref-gaddis2005', 'Gaddis, John Lewis. The Cold War: A New History. New York: Penguin Press, 2005.'],
    ['ref-kennan1947', 'Kennan, George F. “The Sources of Soviet Conduct.” Foreign Affairs 25, no. 4 (July 1947): 566–82.'],
    ['ref-taylor2006', 'Taylor, Frederick. The Berlin Wall: A World Divided, 1961–1989. New York: HarperCollins, 2006.'],
    ['ref-un-res-1718', 'United Nations Security Council. “Resolution 1718 (2006).” New York: United Nations, October 14, 2006.'],
  ])
})

test('Chicago author-date: linked parenthetical citations and a reference list', async () => {
  const { book, html } = await run(await coldWar(withStyle('chicago-author-date')))
  const text = html[0]!
  assert.match(text, /telegram <span class="citation">\(<a class="citation-link" href="#ref-kennan1947">Kennan 1947<\/a>\)<\/span>\./)
  assert.match(text, /much later <span class="citation">\(<a class="citation-link" href="#ref-un-res-1718">see United Nations Security Council 2006<\/a>\)<\/span>\.<\/p>/, '"See [c3]." becomes "(see …)." before the full stop')
  assert.match(text, /<span class="citation">Kennan \(<a class="citation-link" href="#ref-kennan1947">1947, 575<\/a>\)<\/span> put it bluntly/)
  assert.match(text, /\(<a class="citation-link" href="#ref-gaddis2005">see Gaddis 2005<\/a>; <a class="citation-link" href="#ref-taylor2006">Taylor 2006, 10–12<\/a>\)/)
  assert.deepEqual(book.chapters[0]!.notes.map((note) => note.kind), ['footnote'], 'only the author’s own footnote is a note')
  assert.equal(book.bibliography?.title, 'References')
  assert.deepEqual(book.bibliography?.entries.map((entry) => entry.text), [
    'Gaddis, John Lewis. 2005. The Cold War: A New History. New York: Penguin Press.',
    'Kennan, George F. 1947. “The Sources of Soviet Conduct.” Foreign Affairs 25 (4): 566–82.',
    'Taylor, Frederick. 2006. The Berlin Wall: A World Divided, 1961–1989. New York: HarperCollins.',
    'United Nations Security Council. 2006. “Resolution 1718 (2006).” S/RES/1718. New York: United Nations.',
  ])
})

test('APA: author-date with APA punctuation and reference list', async () => {
  const { book, html } = await run(await coldWar(withStyle('apa')))
  assert.match(html[0]!, /\(<a class="citation-link" href="#ref-gaddis2005">Gaddis, 2005, p\. 41<\/a>\)/)
  assert.match(html[0]!, /<span class="citation">Kennan \(<a class="citation-link" href="#ref-kennan1947">1947, p\. 575<\/a>\)<\/span>/)
  assert.deepEqual(book.bibliography?.entries.map((entry) => entry.text), [
    'Gaddis, J. L. (2005). The Cold War: A New History. Penguin Press.',
    'Kennan, G. F. (1947). The Sources of Soviet Conduct. Foreign Affairs, 25(4), 566–582.',
    'Taylor, F. (2006). The Berlin Wall: A World Divided, 1961–1989. HarperCollins.',
    'United Nations Security Council. (2006). Resolution 1718 (2006) (No. S/RES/1718). United Nations.',
  ])
})

test('a style with Ibid. gets Ibid. exactly where citeproc puts it', async () => {
  const { book } = await run(await coldWar(withStyle('chicago-fullnote-bibliography-with-ibid')))
  assert.equal(book.chapters[0]!.notes[4]!.text, 'Ibid., 42.')
})

test('the locale follows book.yaml’s language', async () => {
  const { book } = await run(await coldWar((yaml) => withStyle('apa')(yaml).replace('language: en', 'language: de')))
  assert.equal(book.bibliography?.title, 'Literatur')
  const html = await run(await coldWar((yaml) => withStyle('apa')(yaml).replace('language: en', 'language: de')))
  assert.match(html.html[0]!, /Gaddis, 2005, S\. 41/)
})

test('a .csl file in the manuscript’s styles/ folder is used as the style', async () => {
  const dir = await coldWar(withStyle('house.csl'))
  await cp(path.join(ROOT, 'test/books/house.csl'), path.join(dir, 'styles/house.csl'))
  const { book, html, messages } = await run(dir)
  assert.deepEqual(messages, [])
  assert.equal(book.citationStyle?.title, 'Quire Test House Style')
  assert.match(html[0]!, /\[<a class="citation-link" href="#ref-kennan1947">Kennan 1947<\/a>\]/)
  assert.deepEqual(book.bibliography?.entries.map((entry) => entry.text).slice(0, 1), ['Resolution 1718 (2006) by United Nations Security Council.'])
})

test('chapter-bibliographies adds each chapter’s works cited, linked from its citations', async () => {
  const { book, html } = await run(await coldWar((yaml) => withStyle('chicago-author-date')(yaml) + 'chapter-bibliographies: true\n'))
  assert.deepEqual(book.chapters[1]!.bibliography?.entries.map((entry) => entry.id), ['ch-8-ref-kennan1947', 'ch-8-ref-taylor2006'])
  assert.match(html[1]!, /href="#ch-8-ref-taylor2006">Taylor 2006, 12/)
  assert.match(html[0]!, /href="#ch-7-ref-kennan1947">Kennan 1947</, 'each chapter links to its own list')
  assert.doesNotMatch(html[0]!, /href="#ch-8-/)
  assert.match(html[1]!, /<section id="ch-8-bibliography" class="bibliography" role="doc-bibliography" aria-labelledby="ch-8-bibliography-title"><h2/)
})

test('acceptance: [citation 1]…[citation 4] mapped onto CSL-JSON build into four linked notes and a bibliography', async () => {
  const refs = JSON.parse(await readFile(path.join(ROOT, 'test/books/cold-war/references.json'), 'utf8')) as unknown[]
  const dir = await manuscript({
    'book.yaml': 'title: Four Notes\nbibliography: refs.json\n',
    'refs.json': JSON.stringify([...refs, { id: 'unused1999', type: 'book', title: 'Unused' }]),
    '01-four.md': [
      '---',
      'citations:',
      '  1: kennan1947',
      '  2: { key: gaddis2005, locator: "ch. 3" }',
      '  3: { key: gaddis2005, prefix: "see" }',
      '  4: { key: kennan1947, locator: "p. 570" }',
      '---',
      '# Four',
      '',
      'One [citation 1]. Two [citation 2]. Three [citation 3]. Four [citation 4].',
    ].join('\n'),
  })
  const out = path.join(dir, 'out')
  const result = await cli(['build', dir, '--out', out, '--format', 'html'])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /refs\.json\n1:\d+ +warning Reference `unused1999` is never cited/)
  const chapter = await readFile(path.join(out, 'html/01-four.html'), 'utf8')
  for (let n = 1; n <= 4; n++) {
    assert.match(chapter, new RegExp(`<sup class="noteref"><a id="ch-1-noteref-${n}" href="#ch-1-note-${n}" role="doc-noteref">${n}</a></sup>`))
    assert.match(chapter, new RegExp(`<li id="ch-1-note-${n}"><p>.+<a href="#ch-1-noteref-${n}" class="note-backlink"`))
  }
  for (const name of await readdir(path.join(out, 'html'))) {
    if (name.endsWith('.html')) assert.doesNotMatch(await readFile(path.join(out, 'html', name), 'utf8'), /\[citation/i, name)
  }
  const bibliography = await readFile(path.join(out, 'html/bibliography.html'), 'utf8')
  assert.match(bibliography, /<li id="ref-gaddis2005" class="csl-entry">Gaddis, John Lewis\. <i>The Cold War: A New History<\/i>/)
  assert.match(bibliography, /<li id="ref-kennan1947" class="csl-entry">Kennan, George F\./)
  assert.doesNotMatch(bibliography, /Unused/)
  assert.match(await readFile(path.join(out, 'html/index.html'), 'utf8'), /<a href="bibliography\.html"><span class="toc-title">Bibliography<\/span><\/a>/)
})

test('check --format json reports every citation diagnostic with its rule id and position', async () => {
  const dir = path.join(ROOT, 'test/fixtures/citation-diagnostics')
  const result = await cli(['check', dir, '--format', 'json'])
  assert.equal(result.code, 1)
  const found = (JSON.parse(result.stdout) as { file: string; line: number; column: number; ruleId: string; severity: string }[]).map(
    (d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.severity} ${d.ruleId}`,
  )
  for (const expected of [
    'refs.json:5:5 error reference-invalid',
    'dupes.yaml:5:3 error reference-duplicate',
    '03-markers.md:9:33 error citation-key-unknown',
    '03-markers.md:9:58 warning citation-marker-sequence',
    '03-markers.md:10:7 warning citation-marker-sequence',
    '03-markers.md:10:43 error citation-unmapped',
    'refs.json:4:5 warning reference-uncited',
  ]) {
    assert.ok(found.includes(expected), `${expected} in\n${found.join('\n')}`)
  }
})

test('an unreadable bibliography is reported first, and no key is called unknown while it is', async () => {
  const result = await cli(['check', path.join(ROOT, 'test/fixtures/bibliography-unreadable'), '--format', 'json'])
  assert.equal(result.code, 1)
  const found = (JSON.parse(result.stdout) as { file: string; line: number; column: number; ruleId: string; severity: string }[]).map(
    (d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.severity} ${d.ruleId}`,
  )
  assert.deepEqual(found.slice(0, 2), ['book.yaml:5:5 error bibliography-missing', 'broken.bib:6:1 error bibliography-syntax'])
  // missing.json and broken.bib cannot be read, so no key is unknown and no entry uncited (root cause first).
  assert.ok(!found.some((line) => / (citation-key-unknown|reference-uncited)$/.test(line)), found.join('\n'))
})
