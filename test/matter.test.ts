/**
 * Front and back matter by `role:`, read back from the real editions: in
 * print, the dedication and the epigraph alone and centred on their rectos
 * with no folio, the preface in roman folios after the contents, folio 1 on
 * the introduction, lettered appendices, and every contents entry on the
 * page it names; in the EPUB, the reading order, `epub:type` and DPUB roles,
 * the landmarks, and epubcheck; in `check`, roles out of place.
 */
import assert from 'node:assert/strict'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { before, test } from 'node:test'
import { attr, epubcheck, openEpub, select, toString, type OpenedEpub } from './epub-helpers.ts'
import { cli, manuscript } from './helpers.ts'
import { contentsEntries, flat, folio, letters, lines, openPdf, type OpenedPdf } from './pdf-helpers.ts'

const SENTENCE = 'The archive held letters from the ministry about the reconstruction of the harbour and the long negotiation over its cranes, which nobody had expected to last a winter.'
const text = (count: number) => Array.from({ length: count }, () => `${SENTENCE} ${SENTENCE}\n`).join('\n')

const BOOK = {
  'book.yaml': 'title: Harbour Letters\nauthor: Ines Varga\ndate: 2025-05-01\n',
  '00-dedication.md': '---\ntitle: Dedication\nrole: dedication\n---\n\nFor Marta, who kept the letters.\n',
  '01-epigraph.md': '---\ntitle: Epigraph\nrole: epigraph\n---\n\nThe sea remembers what the harbour forgets.\n',
  // Long enough for several pages: its folios run on in roman numerals from the contents'.
  '02-preface.md': `---\nrole: preface\n---\n\n# Preface\n\n${text(30)}`,
  // An epigraph opening a chapter: a quote whose last line is an attribution, hard-wrapped into one paragraph.
  '03-introduction.md': `---\nrole: introduction\n---\n\n# Introduction\n\n> Every harbour is a letter to the sea.\n> -- Marta Varga, *Harbour Notes*\n\n${text(6)}`,
  '04-the-cranes.md': `# Chapter 1: The Cranes\n\n1.1 Arrival\n\n${text(8)}`,
  '05-tonnage.md': `---\nrole: appendix\n---\n\n# Tonnage Tables\n\n${text(2)}`,
  '06-letters.md': `---\nrole: appendix\n---\n\n# Letters Not Sent\n\n${text(2)}`,
  '07-about.md': '---\nrole: about-the-author\n---\n\n# About the Author\n\nInes Varga lives by the sea.\n',
}

let pdf: OpenedPdf
let epub: OpenedEpub
let epubFile: string

before(async () => {
  const dir = await manuscript(BOOK)
  const out = await mkdtemp(path.join(os.tmpdir(), 'quire-matter-'))
  const result = await cli(['build', dir, '--out', out, '--format', 'epub,pdf'])
  assert.equal(result.code, 0, result.stderr)
  epubFile = path.join(out, 'harbour-letters.epub')
  ;[pdf, epub] = await Promise.all([openPdf(path.join(out, 'harbour-letters.pdf')), openEpub(epubFile)])
})

test('in print: dedication and epigraph alone on their rectos, the preface in roman folios, folio 1 on the introduction, appendices lettered', () => {
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
  assert.deepEqual(entries.map((entry) => entry.label), ['Introduction', '1 The Cranes', '1.1 Arrival', 'A Tonnage Tables', 'B Letters Not Sent', 'About the Author'])
  assert.equal(entries[0]!.page, '1', 'folio 1 is the introduction’s first page')
  assert.ok(!lines(pdf.pages[contents]!).some((line) => /Dedication|Epigraph/.test(line)), 'neither is listed in the contents')

  const preface = pdf.pages.findIndex((page, index) => index > contents && lines(page)[0] === 'Preface')
  assert.equal(folio(pdf.pages[preface]!), prefaceLine.split(/\s+/).at(-1), 'the preface starts on the page the contents give')
  // Every page from the preface to the introduction carries a roman folio; the preface's right-hand pages its title as running head.
  const introduction = pdf.pages.findIndex((page, index) => index > contents && lines(page)[0] === 'Introduction')
  const prefacePages = pdf.pages.slice(preface, introduction).filter((page) => lines(page).length > 1)
  assert.ok(prefacePages.length >= 3, `${prefacePages.length} pages of preface`)
  for (const page of prefacePages) assert.match(folio(page) ?? '', /^[ivxl]+$/, page)
  assert.ok(prefacePages.some((page) => letters(lines(page)[0]!) === 'PREFACE'), 'the preface’s running head')
  assert.equal(introduction % 2, 0, 'the introduction opens on a right-hand page')
  assert.equal(folio(pdf.pages[introduction]!), '1')

  // Every entry on the page its number names, counted from the introduction's folio 1.
  for (const entry of entries) {
    const page = pdf.pages[introduction + Number(entry.page) - 1]!
    assert.equal(folio(page), entry.page)
    assert.ok(flat(page).includes(entry.label.replace(/^([A-Z]|\d+(\.\d+)*) /, '')), `"${entry.label}" on page ${entry.page}`)
  }
  const appendix = pdf.pages[introduction + Number(entries[3]!.page) - 1]!
  assert.equal(letters(lines(appendix)[0]!), 'APPENDIXA')
  // The bookmarks follow the book; the dedication and the epigraph, set without their headings, have none.
  assert.deepEqual(pdf.outline.map((item) => item.title), ['CONTENTS', 'Preface', 'Introduction', 'The Cranes', 'Tonnage Tables', 'Letters Not Sent', 'About the Author'])
})

test('in the EPUB: reading order, front, body and back matter, each role’s epub:type and DPUB role, and the landmarks', async () => {
  const report = await epubcheck(epubFile)
  assert.equal(report.fatals + report.errors + report.warnings, 0, report.output)
  const opf = await epub.text('OEBPS/content.opf')
  const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => match[1])
  assert.deepEqual(spine, ['cover', 'title-page', 'copyright', 'chapter-1', 'chapter-2', 'nav', 'chapter-3', 'chapter-4', 'chapter-5', 'chapter-6', 'chapter-7', 'chapter-8'])
  const expected: [string, string, string | undefined][] = [
    ['00-dedication', 'frontmatter', 'dedication'],
    ['01-epigraph', 'frontmatter', 'epigraph'],
    ['02-preface', 'frontmatter', 'preface'],
    ['03-introduction', 'bodymatter', 'introduction'],
    ['04-the-cranes', 'bodymatter', undefined],
    ['05-tonnage', 'backmatter', 'appendix'],
    ['07-about', 'backmatter', undefined],
  ]
  for (const [name, matter, role] of expected) {
    const tree = await epub.tree(`OEBPS/${name}.xhtml`)
    assert.equal(attr(select(tree, (node) => node.tagName === 'body')[0]!, 'epub:type'), matter, name)
    const chapter = select(tree, (node) => (node.properties.className as string[] | undefined)?.includes('chapter') === true)[0]!
    assert.equal(attr(chapter, 'epub:type'), role, name)
    assert.equal(attr(chapter, 'role'), role && `doc-${role}`, name)
    // An element may carry a DPUB role only if it is a section (not an <article>).
    assert.equal(chapter.tagName, role ? 'section' : name === '07-about' ? 'section' : 'article', name)
  }
  assert.match(await epub.text('OEBPS/05-tonnage.xhtml'), />Appendix A</)
  const epigraph = select(await epub.tree('OEBPS/03-introduction.xhtml'), (node) => node.tagName === 'blockquote')[0]!
  assert.equal(attr(epigraph, 'epub:type'), 'epigraph')
  assert.equal(attr(epigraph, 'role'), 'doc-epigraph')
  const [quote, attribution] = select(epigraph, (node) => node.tagName === 'p')
  assert.equal(toString(quote!), 'Every harbour is a letter to the sea.')
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
    'bodymatter 03-introduction.xhtml',
    'introduction 03-introduction.xhtml',
    'backmatter 05-tonnage.xhtml',
    'appendix 05-tonnage.xhtml',
  ])
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
  assert.match(found[2]!.message, /expected one of dedication, epigraph, foreword, preface, acknowledgments, introduction, appendix, afterword, glossary, about-the-author/)
})
