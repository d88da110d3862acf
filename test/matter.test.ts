/**
 * Front and back matter by `role:`, read back from the real editions: in
 * print, the dedication and the epigraph alone and centred on their rectos
 * with no folio, the preface in roman folios after the contents, folio 1 on
 * the introduction, lettered appendices, and every contents entry on the
 * page it names; in the EPUB, the reading order, `epub:type` and DPUB roles,
 * the landmarks, and epubcheck; in `check`, roles out of place.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import type { Element, Root } from 'hast'
import { fromHtml } from 'hast-util-from-html'
import { attr, epubcheck, linkTree, openEpub, select, toString, type OpenedEpub } from './epub-helpers.ts'
import { cli, manuscript } from './helpers.ts'
import { contentsEntries, flat, folio, letters, lines, openPdf, type OpenedPdf } from './pdf-helpers.ts'

const SENTENCE = 'The archive held letters from the ministry about the reconstruction of the harbour and the long negotiation over its cranes, which nobody had expected to last a winter.'
const text = (count: number) => Array.from({ length: count }, () => `${SENTENCE} ${SENTENCE}\n`).join('\n')

const BOOK = {
  // Two parts of two chapters each, from book.yaml; the first with an epigraph on its title page.
  'book.yaml': [
    'title: Harbour Letters',
    'author: Ines Varga',
    'date: 2025-05-01',
    'parts:',
    '  - title: The Harbour',
    '    chapters: [03-the-cranes.md, 04-the-quay.md]',
    '    epigraph: Every harbour is a letter to the sea.',
    '    epigraph-source: Marta Varga',
    '  - title: The Ships',
    '    chapters: [5, 6]',
    '',
  ].join('\n'),
  '00-dedication.md': '---\ntitle: Dedication\nrole: dedication\n---\n\nFor Marta, who kept the letters.\n',
  '01-epigraph.md': '---\ntitle: Epigraph\nrole: epigraph\n---\n\nThe sea remembers what the harbour forgets.\n',
  // Long enough for several pages: its folios run on in roman numerals from the contents'.
  '02-preface.md': `---\nrole: preface\n---\n\n# Preface\n\n${text(30)}`,
  // An epigraph opening a chapter: a quote whose last line is an attribution, hard-wrapped into one paragraph.
  '03-the-cranes.md': `# Chapter 1: The Cranes\n\n> Every crane is a question.\n> -- Marta Varga, *Harbour Notes*\n\n1.1 Arrival\n\n${text(8)}`,
  '04-the-quay.md': `# Chapter 2: The Quay\n\n2.1 Stone\n\n${text(4)}`,
  '05-the-ferries.md': `# Chapter 5: The Ferries\n\n${text(4)}`,
  '06-the-tankers.md': `# Chapter 6: The Tankers\n\n${text(4)}`,
  '07-tonnage.md': `---\nrole: appendix\n---\n\n# Tonnage Tables\n\n${text(2)}`,
  '08-letters.md': `---\nrole: appendix\n---\n\n# Letters Not Sent\n\n${text(2)}`,
  // After the last chapter, acknowledgments are back matter.
  '09-acknowledgments.md': '---\nrole: acknowledgments\n---\n\n# Acknowledgments\n\nThe harbour master lent me his keys.\n',
  '10-about.md': '---\nrole: about-the-author\n---\n\n# About the Author\n\nInes Varga lives by the sea.\n',
}

let pdf: OpenedPdf
let epub: OpenedEpub
let epubFile: string

before(async () => {
  const dir = await manuscript(BOOK)
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-matter-'))
  // Printed as three jobs and joined: a job may open only at a part's page, so the joined outline still nests chapters under parts.
  const result = await cli(['build', dir, '--out', out, '--format', 'epub,pdf'], { env: { QUIRE_PDF_JOBS: '3' } })
  assert.equal(result.code, 0, result.stderr)
  epubFile = path.join(out, 'harbour-letters.epub')
  ;[pdf, epub] = await Promise.all([openPdf(path.join(out, 'harbour-letters.pdf')), openEpub(epubFile)])
})

test('in print: dedication and epigraph alone on their rectos, the preface in roman folios, parts on rectos with no folio, folio 1 on the first part, appendices lettered', () => {
  const pageWith = (words: string) => pdf.pages.findIndex((page) => flat(page).includes(words))
  for (const words of ['For Marta, who kept the letters.', 'The sea remembers what the harbour forgets.']) {
    const index = pageWith(words)
    assert.ok(index >= 0 && index % 2 === 0, `"${words}" is on a right-hand page (${index + 1})`)
    assert.deepEqual(lines(pdf.pages[index]!), [words], 'alone: no heading, running head or folio')
  }
  const contents = pageWith('CONTENTS')
  assert.ok(contents > pageWith('The sea remembers'), 'the contents come after the dedication and the epigraph')
  const entries = contentsEntries(pdf.pages.slice(contents, contents + 1))
  // The preface is numbered in the front matter's roman folios: contentsEntries reads arabic ones, so it is read here.
  const prefaceLine = lines(pdf.pages[contents]!).find((line) => line.startsWith('Preface'))!
  assert.match(prefaceLine, /^Preface\s+[ivxl]+$/)
  // Parts are listed above their chapters; their pages count in the body's folios, from 1.
  assert.deepEqual(entries.map((entry) => entry.label), [
    'PART ONE: THE HARBOUR',
    '1 The Cranes',
    '1.1 Arrival',
    '2 The Quay',
    '2.1 Stone',
    'PART TWO: THE SHIPS',
    '5 The Ferries',
    '6 The Tankers',
    'A Tonnage Tables',
    'B Letters Not Sent',
    'Acknowledgments',
    'About the Author',
  ])
  assert.equal(entries[0]!.page, '1', 'folio 1 is the first part’s title page')
  assert.ok(!lines(pdf.pages[contents]!).some((line) => /Dedication|Epigraph/.test(line)), 'neither is listed in the contents')

  // Every page from the preface to the first part carries a roman folio; the preface's right-hand pages its title as running head.
  const preface = pdf.pages.findIndex((page, index) => index > contents && lines(page)[0] === 'Preface')
  assert.equal(folio(pdf.pages[preface]!), prefaceLine.split(/\s+/).at(-1), 'the preface starts on the page the contents give')
  const partOne = pdf.pages.findIndex((page, index) => index > contents && letters(lines(page)[0] ?? '') === 'PARTONE')
  const prefacePages = pdf.pages.slice(preface, partOne).filter((page) => lines(page).length > 1)
  assert.ok(prefacePages.length >= 3, `${prefacePages.length} pages of preface`)
  for (const page of prefacePages) assert.match(folio(page) ?? '', /^[ivxl]+$/, page)
  assert.ok(prefacePages.some((page) => letters(lines(page)[0]!) === 'PREFACE'), 'the preface’s running head')
  // Each page before the first part: a roman folio or none (a blank, the dedication); none arabic.
  for (const page of pdf.pages.slice(0, partOne)) assert.doesNotMatch(folio(page) ?? '', /^\d+$/, page)

  // A part page: a recto with its label, title and epigraph, and no running head or folio; its verso blank.
  for (const [label, title] of [['PARTONE', 'The Harbour'], ['PARTTWO', 'The Ships']] as const) {
    const index = pdf.pages.findIndex((page) => letters(lines(page)[0] ?? '') === label)
    assert.equal(index % 2, 0, `${label} on a right-hand page (${index + 1})`)
    assert.equal(lines(pdf.pages[index]!)[1], title)
    assert.equal(folio(pdf.pages[index]!), undefined, `${label}: no folio`)
    assert.deepEqual(lines(pdf.pages[index + 1]!), [], `${label}: its verso is blank`)
  }
  assert.deepEqual(lines(pdf.pages[partOne]!).slice(2).map(flat), ['Every harbour is a letter to the sea.', '— Marta Varga'])

  // Every entry on the page its number names, counted from the first part's folio 1; arabic from there on.
  for (const entry of entries) {
    const page = pdf.pages[partOne + Number(entry.page) - 1]!
    if (!entry.label.startsWith('PART')) assert.equal(folio(page), entry.page)
    assert.ok(letters(page).includes(letters(entry.label.replace(/^([A-Z]|\d+(\.\d+)*) |^PART \w+: /, ''))), `"${entry.label}" on page ${entry.page}`)
  }
  const chapterOne = partOne + Number(entries[1]!.page) - 1
  assert.equal(folio(pdf.pages[chapterOne]!), '3', 'chapter 1 opens on page 3, after its part page and that page’s blank verso')
  const appendix = pdf.pages[partOne + Number(entries[8]!.page) - 1]!
  assert.equal(letters(lines(appendix)[0]!), 'APPENDIXA')
  // The bookmarks follow the book, parts above their chapters; the dedication and the epigraph, set without their headings, have none.
  const outline = (items: typeof pdf.outline): unknown[] => items.map((item) => (item.kids.length ? [item.title, outline(item.kids)] : item.title))
  assert.deepEqual(outline(pdf.outline), [
    'CONTENTS',
    'Preface',
    ['The Harbour', [['The Cranes', ['1.1 Arrival']], ['The Quay', ['2.1 Stone']]]],
    ['The Ships', ['The Ferries', 'The Tankers']],
    'Tonnage Tables',
    'Letters Not Sent',
    'Acknowledgments',
    'About the Author',
  ])
  assert.equal(pdf.outline[2]!.page, partOne + 1, 'the part’s bookmark leads to its title page')
})

test('in the EPUB: reading order, front, body and back matter, parts, each role’s epub:type and DPUB role, the landmarks and the navigation', async () => {
  const report = await epubcheck(epubFile)
  assert.equal(report.fatals + report.errors + report.warnings, 0, report.output)
  const opf = await epub.text('OEBPS/content.opf')
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => match[1])
  assert.deepEqual(spine, ['cover', 'title-page', 'copyright', 'chapter-1', 'chapter-2', 'nav', 'chapter-3', 'part-1', 'chapter-4', 'chapter-5', 'part-2', 'chapter-6', 'chapter-7', 'chapter-8', 'chapter-9', 'chapter-10', 'chapter-11'])
  const expected: [string, string, string | undefined][] = [
    ['00-dedication', 'frontmatter', 'dedication'],
    ['01-epigraph', 'frontmatter', 'epigraph'],
    ['02-preface', 'frontmatter', 'preface'],
    ['03-the-cranes', 'bodymatter', undefined],
    ['07-tonnage', 'backmatter', 'appendix'],
    ['09-acknowledgments', 'backmatter', 'acknowledgments'],
    ['10-about', 'backmatter', undefined],
  ]
  for (const [name, matter, role] of expected) {
    const tree = await epub.tree(`OEBPS/${name}.xhtml`)
    assert.equal(attr(select(tree, (node) => node.tagName === 'body')[0]!, 'epub:type'), matter, name)
    const chapter = select(tree, (node) => (node.properties.className as string[] | undefined)?.includes('chapter') === true)[0]!
    assert.equal(attr(chapter, 'epub:type'), role, name)
    assert.equal(attr(chapter, 'role'), role && `doc-${role}`, name)
    // An element may carry a DPUB role only if it is a section (not an <article>).
    assert.equal(chapter.tagName, role ? 'section' : name === '10-about' ? 'section' : 'article', name)
  }
  assert.match(await epub.text('OEBPS/07-tonnage.xhtml'), />Appendix A</)
  // A part's title page: body matter, `epub:type="part"`, its label, title and epigraph.
  const part = await epub.tree('OEBPS/part-1.xhtml')
  assert.equal(attr(select(part, (node) => node.tagName === 'body')[0]!, 'epub:type'), 'bodymatter')
  const section = select(part, (node) => node.tagName === 'section')[0]!
  assert.deepEqual([attr(section, 'epub:type'), attr(section, 'role')], ['part', 'doc-part'])
  assert.deepEqual(select(section, (node) => node.tagName === 'p' || node.tagName === 'h1').map((node) => toString(node)), ['Part One', 'The Harbour', 'Every harbour is a letter to the sea.', '— Marta Varga'])

  const epigraph = select(await epub.tree('OEBPS/03-the-cranes.xhtml'), (node) => node.tagName === 'blockquote')[0]!
  assert.equal(attr(epigraph, 'epub:type'), 'epigraph')
  assert.equal(attr(epigraph, 'role'), 'doc-epigraph')
  const [quote, attribution] = select(epigraph, (node) => node.tagName === 'p')
  assert.equal(toString(quote!), 'Every crane is a question.')
  assert.equal(toString(attribution!), '— Marta Varga, Harbour Notes')
  assert.equal(attr(attribution!, 'className'), 'epigraph-attribution')
  const nav = await epub.tree('OEBPS/toc.xhtml')
  const landmarks = select(select(nav, (node) => attr(node, 'epub:type') === 'landmarks')[0]!, (node) => node.tagName === 'a').map((node) => `${attr(node, 'epub:type')} ${attr(node, 'href')}`)
  assert.deepEqual(landmarks, [
    'cover cover.xhtml',
    'frontmatter title-page.xhtml',
    'dedication 00-dedication.xhtml',
    'epigraph 01-epigraph.xhtml',
    'toc #toc',
    'preface 02-preface.xhtml',
    'bodymatter 03-the-cranes.xhtml',
    'backmatter 07-tonnage.xhtml',
    'appendix 07-tonnage.xhtml',
    'acknowledgments 09-acknowledgments.xhtml',
  ])
  // The navigation nests each part's chapters under it (and each chapter's sections under the chapter); so does the NCX.
  const tocNav = select(nav, (node) => attr(node, 'epub:type') === 'toc')[0]!
  assert.deepEqual(linkTree(select(tocNav, (node) => node.tagName === 'ol')[0]!), [
    'Dedication',
    'Epigraph',
    'Preface',
    ['Part One The Harbour', [['1 The Cranes', ['1.1 Arrival']], ['2 The Quay', ['2.1 Stone']]]],
    ['Part Two The Ships', ['5 The Ferries', '6 The Tankers']],
    'A Tonnage Tables',
    'B Letters Not Sent',
    'Acknowledgments',
    'About the Author',
  ])
  const ncx = (await epub.text('OEBPS/toc.ncx')).replace(/>\s+</g, '><')
  assert.match(ncx, /<text>Part Two: The Ships<\/text><\/navLabel><content src="part-2.xhtml" ?\/><navPoint id="nav-\d+" playOrder="\d+"><navLabel><text>5\. The Ferries<\/text>/)
})

test('check reports a role out of place where it is written, and an unknown role with the list', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Out of Place\n',
    '01-one.md': '# Chapter 1: One\n\nText.\n',
    '02-preface.md': '---\ntitle: Preface\nrole: preface\n---\n\nText.\n',
    '03-appendix.md': '---\ntitle: Tables\nrole: appendix\n---\n\nText.\n',
    '04-two.md': '# Chapter 2: Two\n\nText.\n',
    '05-coda.md': '---\ntitle: Coda\nrole: coda\n---\n\nText.\n',
  })
  const result = await cli(['check', dir, '--format', 'json'])
  assert.equal(result.code, 1)
  const found = (JSON.parse(result.stdout) as { file: string; line: number; column: number; ruleId: string; message: string }[]).filter((d) => d.ruleId !== 'chapter-title-guessed')
  assert.deepEqual(found.map((d) => [path.basename(d.file), d.ruleId, d.line, d.column]), [
    ['02-preface.md', 'chapter-role-misplaced', 3, 1],
    ['04-two.md', 'chapter-role-misplaced', 1, 1],
    ['05-coda.md', 'front-matter-invalid', 3, 1],
  ])
  assert.match(found[0]!.message, /A preface is front matter, but it comes after the first chapter \(01-one\.md\)/)
  assert.match(found[1]!.message, /after back matter \(03-appendix\.md, appendix\)/)
  assert.match(found[2]!.message, /expected one of dedication, epigraph, foreword, preface, acknowledgments, introduction, appendix, afterword, glossary, index, about-the-author/)
})

test('parts from chapters’ `part:`: the web edition nests them in its contents and gives each a page in reading order', async () => {
  const dir = await manuscript({
    'book.yaml': 'title: Two Halves\npart-numbers: roman\n',
    '01-introduction.md': '---\nrole: introduction\n---\n\n# Introduction\n\nBefore the parts.\n',
    '02-rise.md': '---\npart: Beginnings\n---\n\n# Chapter 1: Rise\n\nText.\n',
    '03-height.md': '# Chapter 2: Height\n\nText.\n',
    // Straight quotes and a double hyphen, set as in the chapters' text.
    '04-fall.md': '---\npart:\n  title: Endings\n  epigraph: All things "end" -- even this.\n  epigraph-source: A Proverb\n---\n\n# Chapter 3: Fall\n\nText.\n',
    '05-tables.md': '---\nrole: appendix\n---\n\n# Tables\n\nNumbers.\n',
  })
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-parts-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'html'])
  assert.equal(result.code, 0, result.stderr)
  const page = async (name: string) => fromHtml(await readFile(path.join(out, 'html', name), 'utf8'))
  const toc = select(await page('index.html'), (node) => attr(node, 'role') === 'doc-toc')[0]!
  assert.deepEqual(linkTree(select(toc, (node) => node.tagName === 'ol')[0]!), ['Introduction', ['Part I Beginnings', ['1 Rise', '2 Height']], ['Part II Endings', ['3 Fall']], 'A Tables'])
  const part = await page('part-2.html')
  assert.deepEqual(select(part, (node) => (node.tagName === 'p' && !attr(node, 'className')?.includes('pager')) || node.tagName === 'h1').map((node) => toString(node)), ['Part II', 'Endings', 'All things “end” — even this.', '— A Proverb'])
  const pager = (tree: Root) => select(tree, (node) => node.tagName === 'a' && (attr(node, 'rel') === 'prev' || attr(node, 'rel') === 'next')).map((node) => attr(node, 'href'))
  assert.deepEqual(pager(part), ['03-height.html', '04-fall.html'])
  assert.deepEqual(pager(await page('01-introduction.html')), ['part-1.html'])
})

test('check reports a part that names no chapter, holds back matter or overlaps another, and a `part:` beside book.yaml’s parts', async () => {
  const dir = await manuscript({
    'book.yaml': ['title: Bad Parts', 'parts:', '  - title: One', '    chapters: [01-one.md, 09-missing.md]', '  - title: Two', '    chapters: [02-two.md, 04-tables.md]', '  - title: Three', '    chapters: [01-one.md, 2]', '  - title: Four', '    chapters: [2, 3]', ''].join('\n'),
    '01-one.md': '# Chapter 1: One\n\nText.\n',
    '02-two.md': '# Chapter 2: Two\n\nText.\n',
    '03-three.md': '---\npart: Mine\n---\n\n# Chapter 3: Three\n\nText.\n',
    '04-tables.md': '---\nrole: appendix\n---\n\n# Tables\n\nText.\n',
  })
  const result = await cli(['check', dir, '--format', 'json'])
  assert.equal(result.code, 1)
  const found = (JSON.parse(result.stdout) as { file: string; line: number; column: number; ruleId: string; message: string }[]).filter((d) => d.ruleId === 'part-invalid')
  assert.deepEqual(found.map((d) => [path.basename(d.file), d.line, d.column]), [
    ['book.yaml', 4, 27],
    ['book.yaml', 5, 5],
    ['book.yaml', 9, 5],
    ['03-three.md', 2, 1],
  ])
  assert.match(found[0]!.message, /Part “One” ends at no chapter `09-missing\.md` in the book/)
  assert.match(found[1]!.message, /Part “Two” holds 04-tables\.md, which is back matter \(appendix\)/)
  // Part One is left out, so Part Three (chapters 1 and 2) stands, and Four begins inside it.
  assert.match(found[2]!.message, /Part “Four” begins at 02-two\.md, inside the part before it: .* begin it after 02-two\.md/)
  assert.match(found[3]!.message, /book\.yaml’s `parts:` decides/)
  const built = await cli(['build', dir, '--out', await mkdtemp(path.join(os.tmpdir(), 'quire-parts-')), '--format', 'html', '--draft'])
  assert.equal(built.code, 1, 'a draft builds, and still exits 1')
})
