/**
 * End-to-end: build real manuscripts with the CLI and read the HTML it wrote.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { cli, manuscript, ROOT } from './helpers.ts'

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length

test('the sample book builds into an HTML edition with contents, chapter pages and fonts', async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-out-'))
  // Speed is the benchmark's to measure (npm run bench), never a test's: shared machines make limits flaky.
  const result = await cli(['build', 'chapters', '--out', out, '--format', 'html'])
  assert.equal(result.code, 0, result.stderr)
  const html = path.join(out, 'html')
  const index = await readFile(path.join(html, 'index.html'), 'utf8')
  assert.match(index, /<html lang="en">/)
  assert.match(index, /<h1 class="book-title">Writing a Book with Quire<\/h1>/)
  const chapters = (await readdir(path.join(ROOT, 'chapters'))).filter((name) => /^\d+-.*\.md$/.test(name)).sort()
  assert.ok(chapters.length >= 3)
  for (const [n, name] of chapters.entries()) {
    const page = name.replace(/\.md$/, '.html')
    assert.match(index, new RegExp(`href="${page}"`), `contents links ${page}`)
    const text = await readFile(path.join(html, page), 'utf8')
    assert.match(text, /<link rel="stylesheet" href="screen.css">/)
    if (n > 0) assert.match(text, /rel="prev"/)
    if (n < chapters.length - 1) assert.match(text, /rel="next"/)
    // Nothing in a page may be fetched from the network.
    assert.doesNotMatch(text, /<(?:img|script|link|iframe)[^>]+(?:src|href)="(?:https?:)?\/\//)
    assert.doesNotMatch(text, /<script/)
  }
  // Numbered sections are listed under their chapter, with links to their ids.
  assert.match(index, /href="02-paragraphs-and-sections.html#sec-2-1"><span class="toc-number">2.1<\/span>/)
  // The text face and the images are copied, so the edition works from disk.
  const fonts = await readdir(path.join(html, 'fonts'))
  assert.ok(fonts.some((name) => name.startsWith('literata-latin-400-normal')))
  assert.ok((await stat(path.join(html, 'images/pipeline.svg'))).isFile())
  const css = await readFile(path.join(html, 'fonts.css'), 'utf8')
  for (const url of css.match(/url\(([^)]+)\)/g) ?? []) {
    assert.ok((await stat(path.join(html, url.slice(4, -1)))).isFile(), `${url} exists`)
  }
})

test('the one-paragraph-per-line sample chapter has one <p> per source paragraph line', async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-out-'))
  assert.equal((await cli(['build', '--out', out, '--format', 'html'])).code, 0)
  const source = await readFile(path.join(ROOT, 'chapters/02-paragraphs-and-sections.md'), 'utf8')
  const body = source.replace(/^---\n[\s\S]*?\n---\n/, '')
  const lines = body.split('\n').filter((line) => line.trim() !== '')
  const sectionLines = lines.filter((line) => /^2(\.\d+)+\.? +\p{Lu}/u.test(line) && !/[.,;:]$/.test(line))
  const page = await readFile(path.join(out, 'html/02-paragraphs-and-sections.html'), 'utf8')
  const article = page.slice(page.indexOf('</header>'), page.indexOf('<section id="ch-2-notes"'))
  const blockLines = lines.filter((line) => /^(>|[-*+] |\d+\. |```|\|)/.test(line)).length
  assert.equal(count(article, /<h[2-6] id="sec-2-/g), sectionLines.length)
  assert.equal(count(article, /<p[ >]/g), lines.length - sectionLines.length - blockLines)
  assert.ok(count(article, /class="dateline"/g) >= 2)
  assert.doesNotMatch(article, /[^=]"[^>]*</, 'no straight double quote in text')
  // Its seven markers become seven linked notes; "See [citation 5]." leaves no stranded "See.".
  const notes = page.slice(page.indexOf('<section id="ch-2-notes"'))
  assert.equal(count(article, /role="doc-noteref"/g), 7)
  assert.equal(count(notes, /<li id="ch-2-note-\d">/g), 7)
  assert.doesNotMatch(page, /\[citation|See\.|\[\?\]/)
  assert.match(article, /with great care\.<sup class="noteref"><a id="ch-2-noteref-5" href="#ch-2-note-5"/)
  assert.match(notes, /<li id="ch-2-note-5"><p>See Ellen Lupton, <i>Thinking with Type/)
})

test('a messy manuscript without front matter builds with the CLI into the expected HTML', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Messy\nlanguage: en-GB\n',
    '12-the-long-winter.md': [
      'Vienna, May 1961. The delegates arrived in the rain, and nobody said "welcome."[citation 1]',
      'Nobody met them.',
      'Berlin, August 1961. The wire went up overnight [@taylor2006, p. 12].',
      '12.1 The First Frost',
      '12.2 percent of the harvest was lost, they said--and the \'90s would be worse...',
      '12.2 Supply Lines',
      'The depots ran dry.',
    ].join('\n'),
  })
  const out = path.join(dir, 'out')
  // Its citations point nowhere (no front matter, no bibliography): only a draft build goes on.
  const refused = await cli(['build', dir, '--out', out, '--format', 'html'])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /12-the-long-winter\.md\n1:80-1:92 error Marker `\[citation 1\]` has no entry[^\n]*citation-unmapped/)
  assert.match(refused.stderr, /3:49-3:69 error Citation key `taylor2006`[^\n]*citation-key-unknown/)
  // A draft is written, and still exits 1: the manuscript has errors.
  const result = await cli(['build', dir, '--out', out, '--draft', '--format', 'html'])
  assert.equal(result.code, 1, result.stderr)
  const page = await readFile(path.join(out, 'html/12-the-long-winter.html'), 'utf8')
  const article = page.slice(page.indexOf('</header>'), page.indexOf('</article>'))
  assert.equal(count(article, /<p[ >]/g), 5)
  assert.equal(count(article, /<h2 /g), 2)
  assert.match(article, /<h2 id="sec-12-1"><span class="section-number">12.1<\/span> The First Frost<\/h2>/)
  assert.match(article, /<p>12.2 percent of the harvest was lost, they said—and the ’90s would be worse…<\/p>/)
  // Unresolved markers are visible placeholders in a draft, never silently dropped.
  assert.match(article, /“welcome\.”<span class="citation citation-unresolved" title="\[citation 1\]">\[\?\]<\/span>/)
  assert.match(article, /<span class="citation citation-unresolved" title="\[@taylor2006, p\. 12\]">\[\?\]<\/span>/)
  assert.match(article, /<hr class="scene-break">/)
  assert.match(article, /<hr class="section-break">\s*<h2 id="sec-12-1"/)
  assert.match(page, /<html lang="en-GB">/)
})

test('a failed build writes nothing and keeps the last good edition', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: Keep\n', '01-one.md': '# One\n\nGood text.\n' })
  const out = path.join(dir, 'out')
  assert.equal((await cli(['build', dir, '--out', out, '--format', 'html,epub'])).code, 0)
  const good = await readFile(path.join(out, 'html/01-one.html'), 'utf8')
  const goodEpub = await readFile(path.join(out, 'keep.epub'))
  await writeFile(path.join(dir, '01-one.md'), '# One\n\nNow with ![a stolen file](../../../etc/passwd).\n')
  const failed = await cli(['build', dir, '--out', out, '--format', 'html,epub'])
  assert.equal(failed.code, 1)
  assert.match(failed.stderr, /3:10-3:47 +error +Unexpected image `\.\.\/\.\.\/\.\.\/etc\/passwd`/)
  assert.match(failed.stderr, /the last build is kept/)
  assert.equal(await readFile(path.join(out, 'html/01-one.html'), 'utf8'), good)
  assert.deepEqual(await readFile(path.join(out, 'keep.epub')), goodEpub)
  assert.deepEqual((await readdir(out)).filter((name) => name.includes('.tmp')), [], 'no staging files left behind')
  // --draft builds anyway, without the unsafe image.
  const draft = await cli(['build', dir, '--out', out, '--draft', '--format', 'html'])
  assert.equal(draft.code, 1)
  assert.doesNotMatch(await readFile(path.join(out, 'html/01-one.html'), 'utf8'), /passwd/)
})

test('an image symlinked to a file outside the manuscript is refused', async () => {
  const outside = await mkdtemp(path.join(os.tmpdir(), 'quire-outside-'))
  await writeFile(path.join(outside, 'secret.png'), 'not really a png')
  const dir = await manuscript({ 'book.yaml': 'title: Links\n', '01-one.md': '# One\n\n![x](images/secret.png)\n' })
  await rm(path.join(dir, 'images'), { recursive: true, force: true })
  await symlink(outside, path.join(dir, 'images'))
  const result = await cli(['check', dir, '--format', 'json'])
  const diagnostics = JSON.parse(result.stdout) as { ruleId: string; line: number }[]
  assert.equal(result.code, 1)
  assert.ok(diagnostics.some((d) => d.ruleId === 'asset-outside' && d.line === 3), result.stdout)
})
