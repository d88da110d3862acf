/**
 * End-to-end: build EPUBs with the CLI, open the zip, read its XHTML and
 * package document, and run epubcheck and DAISY Ace on them.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import { ace, attr, epubcheck, openEpub, select, toString, type OpenedEpub } from './epub-helpers.ts'
import { cli, DOT_GIF, manuscript, ROOT } from './helpers.ts'

const TORTURE = path.join(ROOT, 'test/books/torture')

let sampleFile: string
let tortureFile: string
let sample: OpenedEpub
let torture: OpenedEpub

async function buildEpub(dir: string, out: string, env: NodeJS.ProcessEnv = {}, extra: string[] = []): Promise<string> {
  const result = await cli(['build', dir, '--out', out, '--format', 'epub', ...extra], { env })
  assert.equal(result.code, 0, result.stderr)
  const written = /epub → (\S+\.epub)/.exec(result.stderr)?.[1]
  assert.ok(written, result.stderr)
  return path.resolve(ROOT, written)
}

before(async () => {
  const [a, b] = await Promise.all([mkdtemp(path.join(os.tmpdir(), 'quire-epub-')), mkdtemp(path.join(os.tmpdir(), 'quire-epub-'))])
  ;[sampleFile, tortureFile] = await Promise.all([buildEpub('chapters', a), buildEpub(TORTURE, b)])
  ;[sample, torture] = await Promise.all([openEpub(sampleFile), openEpub(tortureFile)])
})

/** The XHTML documents of the spine, in reading order. */
async function spineDocuments(epub: OpenedEpub): Promise<string[]> {
  const opf = await epub.text('OEBPS/content.opf')
  const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((match) => [match[1]!, match[2]!]))
  return [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => `OEBPS/${hrefs.get(match[1]!)!}`)
}

test('epubcheck reports no errors and no warnings on the sample book and the torture manuscript', async () => {
  for (const report of await Promise.all([sampleFile, tortureFile].map(epubcheck))) {
    assert.deepEqual({ fatals: report.fatals, errors: report.errors, warnings: report.warnings }, { fatals: 0, errors: 0, warnings: 0 }, report.output)
  }
})

test('DAISY Ace finds no accessibility violations in either book', async () => {
  for (const report of await Promise.all([sampleFile, tortureFile].map(ace))) {
    assert.deepEqual(report.violations, [])
    assert.equal(report.outcome, 'pass')
  }
})

test('the zip starts with an uncompressed mimetype entry, as the OCF container requires', () => {
  for (const epub of [sample, torture]) {
    const { bytes } = epub
    assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'a local file header first')
    assert.equal(bytes.readUInt16LE(8), 0, 'stored, not deflated')
    assert.equal(bytes.readUInt16LE(26), 8, 'name length')
    assert.equal(bytes.readUInt16LE(28), 0, 'no extra field')
    assert.equal(bytes.subarray(30, 38).toString(), 'mimetype')
    assert.equal(bytes.subarray(38, 58).toString(), 'application/epub+zip')
    assert.equal(epub.names[0], 'mimetype')
    assert.ok(epub.names.includes('META-INF/container.xml'))
  }
})

test('the nav lists each chapter with its numbered sections nested under it, and landmarks', async () => {
  const nav = await sample.tree('OEBPS/toc.xhtml')
  const [toc] = select(nav, (node) => node.tagName === 'nav' && attr(node, 'epub:type') === 'toc')
  assert.ok(toc, 'a nav with epub:type toc')
  assert.equal(attr(toc, 'role'), 'doc-toc')
  const chapters = select(toc, (node) => node.tagName === 'li' && attr(node, 'className') === 'toc-chapter')
  assert.equal(chapters.length, 4)
  const second = chapters[1]!
  const [link] = select(second, (node) => node.tagName === 'a')
  assert.equal(attr(link!, 'href'), '02-paragraphs-and-sections.xhtml')
  const nested = select(second, (node) => node.tagName === 'ol').flatMap((list) => select(list, (node) => node.tagName === 'a').map((a) => [attr(a, 'href'), toString(a)]))
  assert.deepEqual(nested[0], ['02-paragraphs-and-sections.xhtml#sec-2-1', '2.1 One Line, One Paragraph'])
  assert.equal(nested.length, 4)
  // Every section link lands on a heading with that id.
  const chapter = await sample.text('OEBPS/02-paragraphs-and-sections.xhtml')
  for (const [href] of nested) assert.match(chapter, new RegExp(`<h2 id="${href!.split('#')[1]}"`))

  const [landmarks] = select(nav, (node) => node.tagName === 'nav' && attr(node, 'epub:type') === 'landmarks')
  const marks = select(landmarks!, (node) => node.tagName === 'a').map((a) => `${attr(a, 'epub:type')} ${attr(a, 'href')}`)
  // Where the front matter, the text and the back matter begin (the sample has no roles: its first chapter and its bibliography).
  assert.deepEqual(marks, ['cover cover.xhtml', 'frontmatter title-page.xhtml', 'toc #toc', 'bodymatter 01-the-manuscript.xhtml', 'backmatter bibliography.xhtml', 'bibliography bibliography.xhtml'])

  // Depth 3 (torture's toc.depth) nests subsections under sections; the NCX nests the same way.
  const tortureNav = await torture.text('OEBPS/toc.xhtml')
  assert.match(tortureNav, /#sec-1-2">.*?1\.2<\/span> <span class="toc-title">The Second Section<\/span><\/a><ol class="toc-sections"><li><a href="01-opening.xhtml#sec-1-2-1">/)
  const ncx = await torture.text('OEBPS/toc.ncx')
  assert.match(ncx, /<text>1\.2 The Second Section<\/text>\s*<\/navLabel>\s*<content src="01-opening.xhtml#sec-1-2" \/>\s*<navPoint id="nav-\d+" playOrder="\d+">\s*<navLabel>\s*<text>1\.2\.1 A Subsection<\/text>/)
  assert.match(ncx, /<meta name="dtb:depth" content="3" \/>/)
})

test('notes are pop-up notes: noteref → endnote in the same document → backlink', async () => {
  for (const epub of [sample, torture]) {
    let notes = 0
    for (const name of await spineDocuments(epub)) {
      const tree = await epub.tree(name)
      const refs = select(tree, (node) => node.tagName === 'a' && attr(node, 'epub:type') === 'noteref')
      for (const ref of refs) {
        notes += 1
        assert.equal(attr(ref, 'role'), 'doc-noteref')
        const target = attr(ref, 'href')!.replace(/^#/, '')
        const [note] = select(tree, (node) => node.properties.id === target)
        assert.ok(note, `${name}: ${target} is in the same document`)
        assert.equal(note.tagName, 'li')
        assert.equal(attr(note, 'epub:type'), 'endnote')
        const [back] = select(note, (node) => attr(node, 'epub:type') === 'backlink')
        assert.equal(attr(back!, 'href'), `#${attr(ref, 'id')}`)
        assert.ok(toString(note).replace('↩︎', '').trim().length > 10, `${target} has text`)
      }
      const [section] = select(tree, (node) => attr(node, 'epub:type') === 'endnotes')
      if (refs.length > 0) assert.equal(attr(section!, 'role'), 'doc-endnotes')
    }
    assert.ok(notes >= 5, `found ${notes} notes`)
  }
})

test('no citation marker survives as raw text in any document', async () => {
  for (const epub of [sample, torture]) {
    for (const name of await spineDocuments(epub)) {
      // Code spans may show a marker on purpose (the sample book explains them); prose may not.
      const tree = await epub.tree(name)
      for (const code of select(tree, (node) => node.tagName === 'code')) code.children = []
      const text = toString(tree)
      assert.doesNotMatch(text, /\[citation \d+\]|\[@|\[-@|\[\?\]/, name)
    }
    const bibliography = await epub.text('OEBPS/bibliography.xhtml')
    assert.match(bibliography, /epub:type="bibliography"/)
    assert.match(bibliography, /Kennan|Lupton/)
  }
})

test('the package metadata says what book.yaml says, with accessibility metadata', async () => {
  const opf = await sample.text('OEBPS/content.opf')
  const meta = (property: string) => [...opf.matchAll(new RegExp(`<meta property="${property}">([^<]*)</meta>`, 'g'))].map((match) => match[1])
  assert.match(opf, /<package xmlns="http:\/\/www\.idpf\.org\/2007\/opf" version="3\.0" unique-identifier="pub-id" xml:lang="en">/)
  assert.match(opf, /<dc:identifier id="pub-id">urn:uuid:6f1c2b9e-4d3a-4e8b-9a57-2c0d8e41b7a3<\/dc:identifier>/)
  assert.match(opf, /<dc:title id="title">Writing a Book with Quire<\/dc:title>\s*<meta refines="#title" property="title-type">main<\/meta>/)
  assert.match(opf, /<dc:title id="subtitle">A Guide for Authors of Long Nonfiction<\/dc:title>\s*<meta refines="#subtitle" property="title-type">subtitle<\/meta>/)
  assert.match(opf, /<dc:creator id="creator-1">Ada Fenwick<\/dc:creator>\s*<meta refines="#creator-1" property="role" scheme="marc:relators">aut<\/meta>/)
  assert.match(opf, /<dc:creator id="creator-2">Tomás Reyes<\/dc:creator>/)
  assert.match(opf, /<dc:language>en<\/dc:language>/)
  assert.match(opf, /<dc:publisher>Quire Press<\/dc:publisher>/)
  assert.match(opf, /<dc:date>2026-11-01<\/dc:date>/)
  assert.match(opf, /<dc:rights>© 2026 Ada Fenwick and Tomás Reyes\. Text licensed CC BY 4\.0\.<\/dc:rights>/)
  assert.match(opf, /<dc:description>A practical guide/)
  assert.deepEqual(meta('dcterms:modified'), ['2026-11-01T00:00:00Z'])
  assert.deepEqual(meta('schema:accessMode'), ['textual', 'visual'])
  assert.ok(meta('schema:accessModeSufficient').includes('textual'))
  for (const feature of ['tableOfContents', 'readingOrder', 'structuralNavigation', 'alternativeText']) assert.ok(meta('schema:accessibilityFeature').includes(feature), feature)
  assert.deepEqual(meta('schema:accessibilityHazard'), ['none'])
  assert.ok(meta('schema:accessibilitySummary')[0]!.length > 50)
  assert.deepEqual(meta('dcterms:conformsTo'), ['EPUB Accessibility 1.1 - WCAG 2.1 Level AA'])
  assert.match(opf, /<item id="cover-image" href="cover\.png" media-type="image\/png" properties="cover-image" \/>/)

  // The torture book: an ISBN, creators and contributors each with their role, a month-only date.
  const other = await torture.text('OEBPS/content.opf')
  assert.match(other, /<dc:identifier id="pub-id">urn:isbn:9780306406157<\/dc:identifier>\s*<meta refines="#pub-id" property="identifier-type" scheme="onix:codelist5">15<\/meta>/)
  assert.match(other, /<dc:title id="title">The "Torture" Test: Ünïcödé &#x26; &#x3C;Markup&#x3E;<\/dc:title>/)
  assert.match(other, /<dc:creator id="creator-1">Ada Fenwick<\/dc:creator>[\s\S]*?<meta refines="#creator-1" property="file-as">Fenwick, Ada<\/meta>/)
  assert.match(other, /<dc:contributor id="creator-2">Jürgen Übersetzer<\/dc:contributor>\s*<meta refines="#creator-2" property="role" scheme="marc:relators">trl<\/meta>/)
  assert.match(other, /<dc:contributor id="creator-3">Olga Редактор<\/dc:contributor>\s*<meta refines="#creator-3" property="role" scheme="marc:relators">edt<\/meta>/)
  assert.match(other, /<meta property="dcterms:modified">2025-03-01T00:00:00Z<\/meta>/)
  assert.match(other, /<dc:language>en-GB<\/dc:language>/)
  assert.doesNotMatch(other, /<dc:description/, 'no empty description when book.yaml has none')
  const copyright = await torture.text('OEBPS/copyright.xhtml')
  assert.match(copyright, /ISBN 978-0-306-40615-7/)
  assert.match(copyright, /March 2025/)
})

test('every document declares its language, has one chapter heading and links only to what exists', async () => {
  for (const epub of [sample, torture]) {
    const language = /<dc:language>([^<]+)</.exec(await epub.text('OEBPS/content.opf'))![1]!
    for (const name of [...(await spineDocuments(epub)), 'OEBPS/toc.xhtml']) {
      const text = await epub.text(name)
      assert.match(text, new RegExp(`<html xmlns="http://www.w3.org/1999/xhtml" lang="${language}" xml:lang="${language}"`), name)
      if (/\/\d\d-/.test(name)) assert.equal((text.match(/<h1[ >]/g) ?? []).length, 1, `${name}: one title, not two`)
    }
  }
  // The torture's links to another chapter and its section, pointed at its document (links to nowhere: test/unpublishable.test.ts).
  const structures = await torture.text('OEBPS/02-structures.xhtml')
  assert.match(structures, /<a href="01-opening\.xhtml#sec-1-1">the first section<\/a>/)
  assert.match(structures, /<a href="01-opening\.xhtml">opening chapter<\/a>/)
})

test('images are packed from the manuscript with their media types and keep their alt text and attributes', async () => {
  const opf = await torture.text('OEBPS/content.opf')
  const items = [...opf.matchAll(/<item id="image-\d+" href="([^"]+)" media-type="([^"]+)"/g)].map((match) => `${match[1]} ${match[2]}`)
  assert.deepEqual(items, ['images/dot.gif image/gif', 'images/map-of-berlin.png image/png', 'images/photo.jpg image/jpeg', 'images/pipeline.svg image/svg+xml'])
  assert.deepEqual(Buffer.from(await torture.data('OEBPS/images/photo.jpg')), await readFile(path.join(TORTURE, 'images/photo.jpg')))
  const structures = await torture.text('OEBPS/02-structures.xhtml')
  assert.match(structures, /<img src="images\/map-of-berlin\.png" alt="A brown frame around a pale circle" \/>/)
  assert.match(structures, /<img src="images\/photo\.jpg" alt="The same picture as a JPEG" width="240" height="160" \/>/)
  assert.match(structures, /<ol start="3">/)
  assert.match(structures, /<th scope="col">Year<\/th>/)
  assert.match(structures, /<td data-note="x">The wall<\/td>/)
  assert.match(structures, /<td class="align-center">b<\/td>/)
  assert.match(structures, /<span class="task-box task-done">☑<\/span>/)
  for (const name of await spineDocuments(torture)) {
    const text = await torture.text(name)
    assert.doesNotMatch(text, /image-placeholder|<script|<iframe|<form|<input|\son[a-z]+=|javascript:|style="/i, name)
  }
  // Only what the book uses is packed: no entry outside the container's folders.
  assert.ok(torture.names.every((name) => name === 'mimetype' || /^(META-INF|OEBPS)\//.test(name)))
})

test('the text face is embedded only when book.yaml asks, with its licence named', async () => {
  const fonts = torture.names.filter((name) => name.startsWith('OEBPS/fonts/') && name.endsWith('.woff2'))
  assert.ok(fonts.some((name) => name.includes('literata-latin-400-normal')))
  assert.ok(fonts.some((name) => name.includes('literata-cyrillic-400-normal')))
  const css = await torture.text('OEBPS/style.css')
  assert.match(css, /SIL Open Font License/)
  assert.doesNotMatch(css, /!important/)
  assert.match(await torture.text('OEBPS/content.opf'), /href="fonts\/literata-latin-400-normal\.woff2" media-type="font\/woff2"/)
  assert.equal(sample.names.filter((name) => name.includes('fonts/')).length, 0)
  assert.doesNotMatch(await sample.text('OEBPS/style.css'), /@font-face|!important/)
})

test('a book without a cover gets a generated 1600 × 2400 PNG cover, first in the spine', async () => {
  const png = Buffer.from(await sample.data('OEBPS/cover.png'))
  assert.equal(png.subarray(1, 4).toString(), 'PNG')
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1600, 2400])
  const spine = await spineDocuments(sample)
  assert.deepEqual(spine.slice(0, 4), ['OEBPS/cover.xhtml', 'OEBPS/title-page.xhtml', 'OEBPS/copyright.xhtml', 'OEBPS/toc.xhtml'])
  const cover = await sample.text('OEBPS/cover.xhtml')
  assert.match(cover, /<body epub:type="cover">/)
  assert.match(cover, /<img src="cover\.png" alt="Cover: Writing a Book with Quire: A Guide for Authors of Long Nonfiction, by Ada Fenwick and Tomás Reyes" role="doc-cover"/)
  // The torture book's own JPEG cover is packed as it is.
  assert.deepEqual(Buffer.from(await torture.data('OEBPS/cover.jpeg')), await readFile(path.join(TORTURE, 'images/cover.jpg')))
})

test('two builds of the same manuscript give identical bytes, even without the cover cache', async () => {
  const again = await mkdtemp(path.join(os.tmpdir(), 'quire-epub-'))
  const second = await buildEpub('chapters', again, { TZ: 'Pacific/Auckland' })
  assert.deepEqual(await readFile(second), sample.bytes)
  const third = await mkdtemp(path.join(os.tmpdir(), 'quire-epub-'))
  assert.deepEqual(await readFile(await buildEpub(TORTURE, third)), torture.bytes)
})

test('a minimal German book: no invented metadata, a name-based identifier, SOURCE_DATE_EPOCH, German labels', async () => {
  const dir = await manuscript({ 'book.yaml': 'title: Die Mauer\nauthor: Jürgen Beispiel\nlanguage: de\n', '01-eins.md': '# Eins\n\nDer erste Satz.\n' })
  const out = path.join(dir, 'out')
  const file = await buildEpub(dir, out, { SOURCE_DATE_EPOCH: '1700000000' })
  const epub = await openEpub(file)
  const opf = await epub.text('OEBPS/content.opf')
  assert.match(opf, /xml:lang="de"/)
  assert.match(opf, /<meta property="dcterms:modified">2023-11-14T22:13:20Z<\/meta>/)
  assert.doesNotMatch(opf, /<dc:(description|rights|publisher|date)/)
  const id = /<dc:identifier id="pub-id">urn:uuid:([0-9a-f-]{36})<\/dc:identifier>/.exec(opf)?.[1]
  assert.ok(id && /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id), `a version 5 UUID, got ${id}`)
  // The same title and author in another folder give the same identifier; another title, another.
  const twin = await manuscript({ 'book.yaml': 'title: Die Mauer\nauthor: Jürgen Beispiel\nlanguage: de\n', '01-x.md': 'Anderer Text.\n' })
  assert.match(await (await openEpub(await buildEpub(twin, path.join(twin, 'out')))).text('OEBPS/content.opf'), new RegExp(`urn:uuid:${id}`))
  await writeFile(path.join(twin, 'book.yaml'), 'title: Die Brücke\nauthor: Jürgen Beispiel\nlanguage: de\n')
  assert.doesNotMatch(await (await openEpub(await buildEpub(twin, path.join(twin, 'out')))).text('OEBPS/content.opf'), new RegExp(`urn:uuid:${id}`))
  const chapter = await epub.text('OEBPS/01-eins.xhtml')
  assert.match(chapter, /lang="de" xml:lang="de"/)
  assert.match(chapter, /<p class="chapter-number">Kapitel 1<\/p>/)
  assert.match(await epub.text('OEBPS/toc.xhtml'), /<h1 id="toc-title">Inhalt<\/h1>/)
  const report = await epubcheck(file)
  assert.equal(report.errors + report.warnings, 0, report.output)
  await rm(dir, { recursive: true, force: true })
  await rm(twin, { recursive: true, force: true })
})

test('remote and file: images are errors; a draft EPUB packs neither; an image without alt text is flagged', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Unsafe Images\ncover: images/cover.jpg\n',
    '01-one.md': '# One\n\n![A remote map](https://example.org/map.png)\n\n<img src="file:///etc/passwd" alt="secrets">\n\n![](images/dot.gif)\n',
    'images/dot.gif': DOT_GIF,
  })
  const check = await cli(['check', dir, '--format', 'json'])
  const messages = JSON.parse(check.stdout) as { ruleId: string; line: number; column: number; severity: string; file: string }[]
  const brief = messages.map((m) => `${path.basename(m.file)}:${m.line}:${m.column} ${m.severity} ${m.ruleId}`)
  assert.deepEqual(brief.sort(), [
    '01-one.md:3:1 error asset-remote',
    '01-one.md:5:1 error asset-outside',
    '01-one.md:7:1 warning image-alt-missing',
    'book.yaml:2:8 error cover-invalid',
  ])
  const out = path.join(dir, 'out')
  const failed = await cli(['build', dir, '--out', out, '--format', 'epub'])
  assert.equal(failed.code, 1)
  const draft = await cli(['build', dir, '--out', out, '--format', 'epub', '--draft'])
  assert.match(draft.stderr, /epub → /)
  const epub = await openEpub(path.join(out, 'unsafe-images.epub'))
  assert.deepEqual(epub.names.filter((name) => name.includes('images/')), ['OEBPS/images/', 'OEBPS/images/dot.gif'])
  const chapter = await epub.text('OEBPS/01-one.xhtml')
  assert.doesNotMatch(chapter, /example\.org|passwd|file:/)
  // The cover named in book.yaml does not exist, so the draft got a generated one.
  assert.ok(epub.names.includes('OEBPS/cover.png'))
  assert.match(await epub.text('OEBPS/content.opf'), /<meta property="schema:accessModeSufficient">textual,visual<\/meta>/)
  await rm(dir, { recursive: true, force: true })
})

test('awkward manuscripts still give a valid EPUB: repeated chapter numbers, a Notes heading, odd attributes, an empty heading', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Awkward\ndate: 2024-02-29\n',
    '01-a.md': '# A\n\n<span id="fig">Figure</span> and a note.[^1]\n\n## Notes\n\n##\n\n[^1]: A note with a list:\n\n    - one\n    - two\n',
    '02-b.md': '---\nnumber: 1\ntitle: B\n---\n\n<span id="fig">Again</span>, see [the figure](#fig).\n\n<img src="dot.gif" alt="A dot" width="50%"> <ol type="disc"><li>x</li></ol> <time datetime="last week">then</time>\n',
    'dot.gif': DOT_GIF,
  })
  const out = path.join(dir, 'out')
  const draft = await cli(['build', dir, '--out', out, '--format', 'epub', '--draft'])
  assert.match(draft.stderr, /epub → /, draft.stderr)
  const file = path.join(out, 'awkward.epub')
  const report = await epubcheck(file)
  assert.equal(report.errors + report.warnings + report.fatals, 0, report.output)
  const epub = await openEpub(file)
  // A link to an id on its own page stays on that page, even when another chapter has the same id.
  assert.match(await epub.text('OEBPS/02-b.xhtml'), /<a href="#fig">the figure<\/a>/)
  // One note, one endnote, however many list items it holds.
  assert.equal(((await epub.text('OEBPS/01-a.xhtml')).match(/epub:type="endnote"/g) ?? []).length, 1)
  const bad = await cli(['check', dir, '--format', 'json'], { cwd: dir })
  assert.doesNotMatch(bad.stdout, /config-invalid/)
  await writeFile(path.join(dir, 'book.yaml'), 'title: Awkward\ndate: 2023-02-29\n')
  const invalid = JSON.parse((await cli(['check', dir, '--format', 'json'])).stdout) as { ruleId: string; line: number; message: string }[]
  assert.ok(invalid.some((m) => m.ruleId === 'config-invalid' && m.line === 2 && /real date/.test(m.message)), JSON.stringify(invalid))
  await rm(dir, { recursive: true, force: true })
})
